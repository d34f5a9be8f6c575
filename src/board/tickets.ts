/**
 * The supervisor board's data: the open tickets from Temporal's visibility store (the search attributes the
 * workflow keeps current), with the one-line summary the relay gave each run, ordered for a supervisor:
 * first-response SLA missed or at risk first, then by the next deadline.
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { STAGE_NAMES } from '../client/cli/commands';
import { TICKET_WORKFLOW_TYPE } from '../client/connection';
import { ticketKeyFromWorkflowId } from '../workflows/ids';
import {
  assigneeAttribute,
  nextDeadlineAttribute,
  routeAttribute,
  slaBreachedAttribute,
  slaDeadlineAttribute,
  stageAttribute,
  ticketKeyAttribute,
} from '../workflows/search-attributes';

/** "At risk": the first response is due within this window. */
export const SLA_RISK_MS = 30 * 60 * 1000;
/** At most this many tickets are described for their summary (one call each). */
const DESCRIBE_LIMIT = 200;

export interface BoardTicket {
  key: string;
  workflowId: string;
  runId: string;
  summary: string | null;
  stage: string;
  route: string | null;
  assignee: string | null;
  nextDeadline: string | null;
  slaDeadline: string | null;
  slaBreached: boolean;
  /** Missed, or due within SLA_RISK_MS. */
  slaAtRisk: boolean;
}

export const OPEN_TICKETS_QUERY = `WorkflowType = '${TICKET_WORKFLOW_TYPE}' AND ExecutionStatus = 'Running'`;

function fromInfo(info: WorkflowExecutionInfo, now: Date): BoardTicket {
  const sa = info.typedSearchAttributes;
  const slaDeadline = sa.get(slaDeadlineAttribute)?.toISOString() ?? null;
  const slaBreached = sa.get(slaBreachedAttribute) ?? false;
  return {
    key: sa.get(ticketKeyAttribute) ?? ticketKeyFromWorkflowId(info.workflowId) ?? info.workflowId,
    workflowId: info.workflowId,
    runId: info.runId,
    summary: null,
    stage: sa.get(stageAttribute) ?? 'starting',
    route: sa.get(routeAttribute) ?? null,
    assignee: sa.get(assigneeAttribute) ?? null,
    nextDeadline: sa.get(nextDeadlineAttribute)?.toISOString() ?? slaDeadline,
    slaDeadline,
    slaBreached,
    slaAtRisk: slaBreached || (!!slaDeadline && new Date(slaDeadline).getTime() - now.getTime() <= SLA_RISK_MS),
  };
}

/** At risk first, then the nearest deadline, then the key (numerically). */
export function boardOrder(a: BoardTicket, b: BoardTicket): number {
  if (a.slaAtRisk !== b.slaAtRisk) return a.slaAtRisk ? -1 : 1;
  const da = a.nextDeadline ?? '9999';
  const db = b.nextDeadline ?? '9999';
  if (da !== db) return da < db ? -1 : 1;
  return a.key.localeCompare(b.key, 'en', { numeric: true });
}

/** The stages in procedure order, for grouping. */
export const STAGE_ORDER: readonly string[] = STAGE_NAMES.filter((s) => s !== 'closed');

export async function openTickets(client: Client, now = new Date()): Promise<BoardTicket[]> {
  const tickets: BoardTicket[] = [];
  for await (const info of client.workflow.list({ query: OPEN_TICKETS_QUERY })) tickets.push(fromInfo(info, now));
  await Promise.all(
    tickets.slice(0, DESCRIBE_LIMIT).map(async (t) => {
      try {
        const d = await client.workflow.getHandle(t.workflowId, t.runId).describe();
        t.summary = (await d.staticSummary()) ?? null;
      } catch {
        // Summary unavailable (run ended meanwhile, key rotated): the row shows without it.
      }
    }),
  );
  return tickets.sort(boardOrder);
}
