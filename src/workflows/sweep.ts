/**
 * S-01 "check the queue every 20 minutes", done by deskflow itself: a long-running workflow started with
 * the stack finds open SS tickets that have no ticket workflow (a lost `issue created` webhook, a relay
 * outage, tickets from before go-live) and starts one for each, which adopts the ticket as it is in Jira
 * (adoption.ts). A ticket workflow is started as an abandoned child with REJECT_DUPLICATE, so a ticket
 * that already has a run (running or closed) is left alone. The sweep hands itself over to a new run
 * (continue-as-new) before its history grows long.
 *
 * `findTicketsWorkflow` answers `deskflow adopt --jql`: the keys a JQL search finds, searched by the worker
 * (which holds the Jira credentials), not by the agent's CLI.
 */
import {
  continueAsNew,
  defineQuery,
  setHandler,
  ParentClosePolicy,
  sleep,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { parseIsoDuration } from '../shared/durations';
import { jira, local } from './activities';
import { ticketWorkflowId } from './ids';
import type { TicketWorkflowInput } from './messages';
import type { ticketWorkflow } from './ticket';

export const QUEUE_SWEEP_WORKFLOW_ID = 'deskflow-queue-sweep';
const DEFAULT_EVERY = 'PT20M';
/** Open tickets one sweep reads at most. */
const MAX_OPEN = 2000;
/** Hand over to a new run after this many sweeps or this many history events. */
const SWEEPS_PER_RUN = 72;
const EVENTS_PER_RUN = 2000;
const BYTES_PER_RUN = 1024 * 1024;

/** How many sweeps this run has finished, and when the last one ended (ISO), for operators and tests. */
export const queueSweepStatusQuery = defineQuery<{ sweeps: number; lastSweepAt: string | null; started: string[] }>(
  'queue-sweep-status',
);

export interface QueueSweepInput {
  /** ISO-8601 interval; default the configuration's sla.queueSweepEvery (PT20M). */
  every?: string;
  /** Keys already known to have a ticket workflow (carried from the previous run). */
  known?: string[];
}

/** The JQL of the open tickets of the support project. */
export function openTicketsJql(project: string): string {
  return `project = ${project} AND statusCategory != Done ORDER BY created ASC`;
}

/** Starts the ticket workflow of `key` unless it has one; true when this call started it. */
export async function startTicketRun(key: string): Promise<boolean> {
  try {
    await startChild<typeof ticketWorkflow>('ticketWorkflow', {
      workflowId: ticketWorkflowId(key),
      args: [{ key } satisfies TicketWorkflowInput],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      parentClosePolicy: ParentClosePolicy.ABANDON,
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

export async function queueSweepWorkflow(input: QueueSweepInput = {}): Promise<void> {
  const settings = await local.loadWorkflowSettings({ at: new Date().toISOString() });
  const every = parseIsoDuration(input.every ?? settings.sla.queueSweepEvery ?? DEFAULT_EVERY);
  let known = new Set(input.known ?? []);
  const status = { sweeps: 0, lastSweepAt: null as string | null, started: [] as string[] };
  setHandler(queueSweepStatusQuery, () => status);
  const roomLeft = () => {
    const info = workflowInfo();
    return !info.continueAsNewSuggested && info.historyLength < EVENTS_PER_RUN && info.historySize < BYTES_PER_RUN;
  };
  for (let sweep = 0; sweep < SWEEPS_PER_RUN && roomLeft(); sweep++) {
    try {
      const open = await jira.searchIssueKeys({ jql: openTicketsJql(settings.jira.supportProject), max: MAX_OPEN });
      const stillOpen = new Set<string>();
      for (const key of open) {
        stillOpen.add(key);
        if (!known.has(key) && (await startTicketRun(key))) status.started.push(key);
      }
      // Forget tickets no longer open: the set stays as small as the queue.
      known = stillOpen;
    } catch {
      // Jira refused the search for good (e.g. a permission): the next sweep tries again.
    }
    status.sweeps++;
    status.lastSweepAt = new Date().toISOString();
    await sleep(every);
  }
  await continueAsNew<typeof queueSweepWorkflow>({ every: input.every, known: [...known] });
}

/** The SS ticket keys a JQL search finds (at most `max`), for `deskflow adopt --jql`. */
export async function findTicketsWorkflow(jql: string, max = 1000): Promise<string[]> {
  return jira.searchIssueKeys({ jql, max });
}
