/**
 * The one way the procedures wait: a durable condition that wakes on what the step cares about
 * (an agent command, a customer reply, a linked issue's change, an edit) or at its deadline.
 * Every wait also wakes when an agent re-routes the ticket, or closes it by hand in Jira, which unwinds
 * the current route.
 */
import { allHandlersFinished, condition, continueAsNew, workflowInfo } from '@temporalio/workflow';
import { repliesTakenOnce, taken } from './patches';
import type { Command, ResumeAt, ResumePoint, TicketState } from './state';
import type { ticketWorkflow } from './ticket';
import { formatInstant } from '../shared/instants';
import { countReminderAfterTimeout } from './metrics';
import { waitSummary } from './summaries';

/** Thrown out of a route when an agent's `classify` chose another route (S-03 override). */
export class Rerouted extends Error {
  constructor() {
    super('rerouted by an agent');
    this.name = 'Rerouted';
  }
}

/** Thrown out of a route when someone closed the ticket by hand in Jira. */
export class ClosedInJira extends Error {
  constructor() {
    super('closed in Jira');
    this.name = 'ClosedInJira';
  }
}

export type Wake =
  | { kind: 'command'; command: Command }
  | { kind: 'customer' }
  /** A public reply by staff typed in Jira (not deskflow's own). */
  | { kind: 'staff' }
  | { kind: 'linked' }
  | { kind: 'edit' }
  | { kind: 'approval-ticket' }
  | { kind: 'timeout' };

export interface WaitOptions {
  until?: Date | null;
  /** Which command kinds this wait takes; others stay queued. Default: any. */
  commands?: Command['kind'][];
  customer?: boolean;
  staff?: boolean;
  linked?: boolean;
  edits?: boolean;
  approvalTicket?: boolean;
  /**
   * Set on waits a continued run can resume (the support loop and linked-issue waits, S-13; the onboarding's
   * E-10, E-11..E-13 and E-15 waits): there, a long history is handed to a new run (continue-as-new) before waiting.
   */
  resume?: ResumeAt;
}

/** Defaults for settings recorded before these limits existed. */
const MAX_EVENTS_PER_RUN = 1000;
const MAX_BYTES_PER_RUN = 512 * 1024;

/**
 * True when this run's history should be handed over: Temporal suggests it, or it passed the configured
 * event or size limit. Not while the S-01 first-response watcher runs (it would start over), and only in
 * runs that reach this point after continue-as-new existed (patch).
 */
function historyFull(t: TicketState): boolean {
  if (t.firstResponseAt === null && !t.closed) return false;
  const info = workflowInfo();
  const limits = t.settings.history;
  const full =
    info.continueAsNewSuggested ||
    info.historyLength >= (limits?.maxEventsPerRun ?? MAX_EVENTS_PER_RUN) ||
    info.historySize >= (limits?.maxBytesPerRun ?? MAX_BYTES_PER_RUN);
  return full && taken('continue-as-new-at-parked-waits');
}

/**
 * Hands the ticket to a new run of the same workflow, which resumes at the same wait with the same
 * deadline. Updates still running and work beside the flow (S-17 mirror notes) finish in this run first;
 * if an event this wait cares about arrived meanwhile, the hand-over waits for the next wait instead
 * (returns), so the event wakes this one.
 */
async function carryOver(t: TicketState, resume: ResumePoint, changed: () => boolean): Promise<void> {
  await condition(allHandlersFinished);
  await t.backgroundFinished();
  if (changed()) return;
  await continueAsNew<typeof ticketWorkflow>({ key: t.key, carried: t.snapshot(resume) });
}

export async function waitFor(t: TicketState, o: WaitOptions): Promise<Wake> {
  t.carryingOut = null; // the previous command (if any) is done: the procedure waits again
  dropStaleCommands(t, o);
  // Since replies-taken-once, a reply that arrived while no wait listened still wakes this one.
  const takenOnce = repliesTakenOnce();
  const seen = {
    customer: takenOnce ? t.customerRepliesTaken : t.customerReplies,
    linked: t.linkedEvents,
    edits: t.edits,
    staff: t.staffPublicComments,
  };
  const commandReady = () => t.commands.some((c) => !o.commands || o.commands.includes(c.kind));
  const woke = () =>
    t.closedInJira !== null ||
    t.rerouteTo !== null ||
    commandReady() ||
    (!!o.customer && t.customerReplies > seen.customer) ||
    (!!o.staff && t.staffPublicComments > seen.staff) ||
    (!!o.linked && t.linkedEvents > seen.linked) ||
    (!!o.edits && t.edits > seen.edits) ||
    (!!o.approvalTicket && t.approvalTicket !== null);

  if (o.resume && historyFull(t)) {
    await carryOver(t, { ...o.resume, until: o.until?.toISOString() ?? null }, woke);
  }
  if (o.until) {
    const ms = o.until.getTime() - Date.now();
    if (ms <= 0 && !woke()) return timedOut(t);
    const summary = waitSummary(
      t.stage,
      `${t.waitingFor}, until ${formatInstant(o.until.toISOString(), t.settings.calendar.timeZone)}`,
    );
    if (!(await condition(woke, Math.max(ms, 1), { summary }))) return timedOut(t);
  } else {
    await condition(woke);
  }
  if (t.closedInJira !== null) throw new ClosedInJira();
  if (t.rerouteTo !== null) {
    t.carryingOut = 'classify';
    throw new Rerouted();
  }
  const i = t.commands.findIndex((c) => !o.commands || o.commands.includes(c.kind));
  if (i >= 0) {
    const command = t.commands.splice(i, 1)[0] as Command;
    t.carryingOut = command.kind;
    return { kind: 'command', command };
  }
  if (o.customer && t.customerReplies > seen.customer) {
    t.customerRepliesTaken = t.customerReplies;
    return { kind: 'customer' };
  }
  if (o.staff && t.staffPublicComments > seen.staff) return { kind: 'staff' };
  if (o.linked && t.linkedEvents > seen.linked) return { kind: 'linked' };
  if (o.edits && t.edits > seen.edits) return { kind: 'edit' };
  return { kind: 'approval-ticket' };
}

function timedOut(t: TicketState): Wake {
  countReminderAfterTimeout(t.stage, t.waitingFor);
  return { kind: 'timeout' };
}

/**
 * A command accepted in an earlier stage that this wait does not take would otherwise sit in the queue
 * for good (and block every later command): it is dropped, and the timeline says so.
 */
function dropStaleCommands(t: TicketState, o: WaitOptions): void {
  for (let i = t.commands.length - 1; i >= 0; i--) {
    const c = t.commands[i] as Command;
    if (o.commands && !o.commands.includes(c.kind) && c.acceptedIn !== t.stage) {
      t.commands.splice(i, 1);
      t.log('agent', `${c.kind} dropped: it was accepted while ${c.acceptedIn ?? 'earlier'}, and the ticket moved on`);
    }
  }
}
