/** The workflows the worker registers (the only path given to the worker). */
export { ticketWorkflow } from './ticket';
export { findTicketsWorkflow, queueSweepWorkflow } from './sweep';
