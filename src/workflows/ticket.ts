/**
 * The ticket workflow: one durable run per SS ticket, from the `issue created` webhook to closing.
 * It reads as the procedure (support-ticket-handling, ROUTING.md S-01..S-17): the first-response SLA
 * runs beside everything else; the ticket is classified and set up; its route handles it until closed.
 */
import { allHandlersFinished, condition } from '@temporalio/workflow';
import { jira, local } from './activities';
import { handleApprovalTicket } from './approval-ticket';
import { registerHandlers } from './handlers';
import { acknowledge, applyAgentRoute, assignOnDutyAgent, classify, readTicket, updateTicketFields } from './intake';
import type { TicketWorkflowInput } from './messages';
import { routeHandler } from './routes';
import { watchFirstResponse } from './sla';
import { internalNote } from './steps';
import { TicketState } from './state';
import { ClosedInJira, Rerouted } from './waiting';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<void> {
  const t = new TicketState(input.key, input.created);
  registerHandlers(t);
  t.settings = await local.loadWorkflowSettings();
  t.publish();

  const ticket = t.created ?? (await readTicket(t));
  t.created ??= ticket;
  t.reporter = ticket.reporter;
  t.inBackground(watchFirstResponse(t, new Date(ticket.created))); // S-01

  if (!(await handleApprovalTicket(t, ticket))) {
    try {
      await assignOnDutyAgent(t); // S-02
      await classify(t, ticket); // S-03
      await updateTicketFields(t, ticket); // S-04..S-08
      await acknowledge(t); // S-10, S-11
      await handleRoute(t); // S-12..S-16
    } catch (err) {
      if (!(err instanceof ClosedInJira)) throw err;
      const { status, by } = t.closedInJira ?? { status: 'Closed', by: null };
      t.closed = true;
      t.log('S-14', `Closed by hand in Jira (${status}) by ${by ?? 'someone'}: deskflow stops here`);
      t.setStage('closed', 'nothing: the ticket was closed in Jira');
    }
  }

  await t.backgroundFinished();
  await condition(allHandlersFinished);
}

/** S-12: the route handles the ticket; an agent's `classify` at any point switches to the new route. */
async function handleRoute(t: TicketState): Promise<void> {
  while (!t.closed) {
    try {
      await routeHandler(t.route as string)(t);
    } catch (err) {
      if (!(err instanceof Rerouted)) throw err;
      const from = t.route;
      applyAgentRoute(t);
      await jira.updateIssueFields({ key: t.key, requestType: t.requestType ?? undefined });
      await internalNote(t, 'S-03', `Re-routed from ${from} to ${t.route} by an agent; request type ${t.requestType}.`);
    }
  }
}
