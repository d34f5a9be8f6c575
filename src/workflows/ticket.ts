/**
 * The ticket workflow: one durable run per SS ticket, from the `issue created` webhook to closing.
 * It reads as the procedure (support-ticket-handling, ROUTING.md S-01..S-17): the first-response SLA
 * runs beside everything else; the ticket is classified and set up; its route handles it until closed.
 */
import { ActivityFailure, allHandlersFinished, condition } from '@temporalio/workflow';
import { jira, local } from './activities';
import { adopt, readFacts, reopen, type Plan } from './adoption';
import { handleApprovalTicket } from './approval-ticket';
import { registerHandlers } from './handlers';
import {
  acknowledge,
  applyAgentRoute,
  assignOnDutyAgent,
  classify,
  endUnknownIssue,
  knownToJira,
  readTicket,
  updateTicketFields,
} from './intake';
import type { TicketWorkflowInput } from './messages';
import { handleUntilClosed, resumeLinkedIssue } from './closing';
import { decidePatchesUpFront, taken } from './patches';
import { routeHandler } from './routes';
import { watchFirstResponse } from './sla';
import { internalNote, slack } from './steps';
import { TicketState, type TicketSnapshot } from './state';
import { escalateBug } from './routes/tech-bug';
import { countClose } from './metrics';
import { ClosedInJira, Rerouted } from './waiting';
import { resolveParticipants, resolveReporter } from './identity';
import { resumeOnboarding } from './onboarding';

export async function ticketWorkflow(input: TicketWorkflowInput): Promise<void> {
  decidePatchesUpFront();
  if (input.carried) return carriedOn(input.key, input.carried);
  const t = new TicketState(input.key, input.created);
  registerHandlers(t);
  t.settings = await local.loadWorkflowSettings({ at: new Date().toISOString() });
  t.publish();
  if (input.reopen) return resume(t, (f) => reopen(t, f));

  // A run that did not see the ticket arrive (a later event, `deskflow adopt`, the S-01 queue sweep) takes
  // it as it is in Jira; only a ticket nobody has touched runs intake (adoption.ts).
  const adopting = !t.created && taken('adopt-current-state');
  const ticket = t.created ?? (await readTicket(t));
  if (!ticket) return endUnknownIssue(t);
  t.created ??= ticket;
  t.reporter = ticket.reporter;
  if (!adopting) t.inBackground(watchFirstResponse(t, new Date(ticket.created))); // S-01
  // Jira Cloud's webhook names the reporter by account id only; the e-mail is looked up (once the SLA
  // watch runs, so a Jira outage cannot hold it back).
  await resolveReporter(ticket);
  t.reporter = ticket.reporter;
  await resolveParticipants(ticket);
  if (!(await knownToJira(t))) {
    endUnknownIssue(t);
    await t.backgroundFinished();
    return;
  }
  if (adopting) {
    const plan = await planFromFacts(t, (f) => adopt(t, f));
    if (plan.kind !== 'new') return finish(t, plan);
    t.inBackground(watchFirstResponse(t, new Date(ticket.created))); // S-01
  }

  const approval = await handleApprovalTicket(t, ticket); // E-13
  if (approval !== true) {
    try {
      await assignOnDutyAgent(t); // S-02
      if (approval !== 'support') await classify(t, ticket); // S-03
      const organizationNote = await updateTicketFields(t, ticket); // S-04..S-08
      await acknowledge(t); // S-10, S-11
      await organizationNote?.(); // S-07, after the customer heard from us
      await handleRoute(t); // S-12..S-16
    } catch (err) {
      await unwind(t, err);
    }
  }

  await t.backgroundFinished();
  await condition(allHandlersFinished);
}

async function planFromFacts(
  t: TicketState,
  decide: (f: NonNullable<Awaited<ReturnType<typeof readFacts>>>) => Promise<Plan>,
): Promise<Plan> {
  const facts = await readFacts(t);
  if (!facts) {
    endUnknownIssue(t);
    return { kind: 'nothing' };
  }
  return decide(facts);
}

/** A run that took the ticket over: the route's wait it resumes at, then the procedure as usual. */
async function finish(t: TicketState, plan: Plan): Promise<void> {
  if (plan.kind === 'resume') {
    try {
      await handleRoute(t, plan.first);
    } catch (err) {
      await unwind(t, err);
    }
  }
  await t.backgroundFinished();
  await condition(allHandlersFinished);
}

/** A run started for a ticket whose last run had closed it (a customer's reply, adoption.ts `reopen`). */
async function resume(t: TicketState, decide: Parameters<typeof planFromFacts>[1]): Promise<void> {
  const plan = await planFromFacts(t, decide);
  if (plan.kind === 'new') {
    // Open and untouched in Jira: nothing deskflow knows of happened to it, so it is taken as it is.
    return finish(t, { kind: 'resume', first: () => handleUntilClosed(t) });
  }
  return finish(t, plan);
}

/**
 * How a ticket leaves its procedure early. Closed by hand in Jira: stop. A step Jira, Slack or Aha!
 * refused for good (a misconfigured field, a missing permission): the ticket must not be forgotten, so
 * support is told and the ticket stays with them under the closing rules (S-13..S-16).
 */
async function unwind(t: TicketState, err: unknown): Promise<void> {
  for (;;) {
    if (err instanceof ClosedInJira) {
      const { status, by } = t.closedInJira ?? { status: 'Closed', by: null };
      t.closed = true;
      countClose('jira');
      t.log('S-14', `Closed by hand in Jira (${status}) by ${by ?? 'someone'}: deskflow stops here`);
      t.setStage('closed', 'nothing: the ticket was closed in Jira');
      return;
    }
    if (!(err instanceof ActivityFailure)) throw err;
    const reason = err.cause?.message ?? err.message;
    t.log('error', `${err.activityType} failed for good at ${t.stage}: ${reason}`);
    await slack(
      t,
      'error',
      t.settings.roles.supportChannel,
      `deskflow could not go on with ${t.key} (${err.activityType}: ${reason}). The ticket stays with support; resolve, needs-input and confirm still work.`,
    ).catch(() => false);
    try {
      await handleUntilClosed(t);
      return;
    } catch (next) {
      err = next;
    }
  }
}

/**
 * A run continued from an earlier one whose history grew long (continue-as-new at a parked wait: the support
 * loop, a linked issue, the onboarding's long waits): the same state, the same wait until the same deadline,
 * then the procedure as before.
 */
async function carriedOn(key: string, carried: TicketSnapshot): Promise<void> {
  const t = TicketState.restore(key, carried);
  registerHandlers(t);
  t.publish();
  // The recorded calendar (holidays, UTC offsets) covers some years; a ticket that outlives most of it
  // takes a fresh one (the rest of the settings stay as the ticket started with them).
  const table = t.settings.calendar.table;
  if (table && table.to < new Date(Date.now() + 366 * 86_400_000).toISOString().slice(0, 10)) {
    t.settings = {
      ...t.settings,
      calendar: (await local.loadWorkflowSettings({ at: new Date().toISOString() })).calendar,
    };
  }
  const resume = carried.resume;
  const until = resume.until ? new Date(resume.until) : undefined;
  const extra = t.route === 'tech.bug' ? escalateBug : undefined;
  const first = () => {
    if (resume.at === 'linked-issue') return resumeLinkedIssue(t, resume, extra, until);
    if (resume.at === 'onboarding') return resumeOnboarding(t, resume, until ?? null);
    return handleUntilClosed(t, extra, until);
  };
  try {
    await handleRoute(t, first);
  } catch (err) {
    await unwind(t, err);
  }
  await t.backgroundFinished();
  await condition(allHandlersFinished);
}

/**
 * S-12: the route handles the ticket; an agent's `classify` at any point switches to the new route.
 * A continued run passes where it resumes as `first`.
 */
async function handleRoute(t: TicketState, first?: () => Promise<void>): Promise<void> {
  while (!t.closed) {
    try {
      const step = first ?? (() => routeHandler(t.route as string)(t));
      first = undefined;
      await step();
    } catch (err) {
      if (!(err instanceof Rerouted)) throw err;
      const from = t.route;
      applyAgentRoute(t);
      await jira.updateIssueFields({ key: t.key, requestType: t.requestType ?? undefined });
      await internalNote(t, 'S-03', `Re-routed from ${from} to ${t.route} by an agent; request type ${t.requestType}.`);
    }
  }
}
