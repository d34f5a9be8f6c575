/** Placeholder for the ticket workflow (S-01..S-17); being written. */
import type { TicketWorkflowInput } from './messages';

export async function ticketWorkflow(_input: TicketWorkflowInput): Promise<void> {
  // replaced by the real workflow
}
