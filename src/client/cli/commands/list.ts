/**
 * `deskflow list`: the tickets deskflow is working on, from Temporal's visibility store, filtered
 * by the search attributes the workflow keeps current (route, stage, first-response SLA deadline).
 */
import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import { ticketKeyFromWorkflowId, ticketWorkflowId } from '../../../workflows/ids';
import {
  assigneeAttribute,
  nextDeadlineAttribute,
  routeAttribute,
  slaBreachedAttribute,
  slaDeadlineAttribute,
  stageAttribute,
  ticketKeyAttribute,
} from '../../../workflows/search-attributes';
import { TICKET_WORKFLOW_TYPE } from '../../connection';
import { EXIT_FAILED, EXIT_OK, optionText, type CommandContext } from '../context';
import { columns, formatInstant } from '../format';
import { rootMessage } from '../ticket';

/** "SLA at risk": the first-response deadline falls within this window (or has passed). */
export const SLA_AT_RISK_MS = 30 * 60 * 1000;

/** Visibility-query string literal (values are validated first; quotes are escaped regardless). */
function literal(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function listQuery(filters: { route?: string; stage?: string; slaBefore?: Date }): string {
  const clauses = [`WorkflowType = ${literal(TICKET_WORKFLOW_TYPE)}`, `ExecutionStatus = 'Running'`];
  if (filters.route) clauses.push(`${routeAttribute.name} = ${literal(filters.route)}`);
  if (filters.stage) clauses.push(`${stageAttribute.name} = ${literal(filters.stage)}`);
  if (filters.slaBefore) clauses.push(`${slaDeadlineAttribute.name} < ${literal(filters.slaBefore.toISOString())}`);
  return clauses.join(' AND ');
}

export interface TicketListEntry {
  key: string;
  workflowId: string;
  route: string | null;
  stage: string | null;
  slaDeadline: string | null;
  /** The earliest deadline the ticket runs against (NextDeadline; absent on runs from before it). */
  nextDeadline: string | null;
  slaBreached: boolean;
  assignee: string | null;
  started: string;
}

function entryOf(
  info: Pick<WorkflowExecutionInfo, 'typedSearchAttributes' | 'workflowId' | 'startTime'>,
): TicketListEntry {
  const sa = info.typedSearchAttributes;
  return {
    key: sa.get(ticketKeyAttribute) ?? ticketKeyFromWorkflowId(info.workflowId) ?? info.workflowId,
    workflowId: info.workflowId,
    route: sa.get(routeAttribute) ?? null,
    stage: sa.get(stageAttribute) ?? null,
    slaDeadline: sa.get(slaDeadlineAttribute)?.toISOString() ?? null,
    nextDeadline: sa.get(nextDeadlineAttribute)?.toISOString() ?? null,
    slaBreached: sa.get(slaBreachedAttribute) ?? false,
    assignee: sa.get(assigneeAttribute) ?? null,
    started: info.startTime.toISOString(),
  };
}

const UNIMPLEMENTED = 12;

/** Without a visibility store: describe the known tickets and apply the same filters here. */
async function describeKnown(client: Client, keys: string[], filters: Filters): Promise<TicketListEntry[]> {
  const out: TicketListEntry[] = [];
  for (const key of keys) {
    const info = await client.workflow
      .getHandle(ticketWorkflowId(key))
      .describe()
      .catch(() => null);
    if (!info || info.status.name !== 'RUNNING') continue;
    const e = entryOf(info);
    if (filters.route && e.route !== filters.route) continue;
    if (filters.stage && e.stage !== filters.stage) continue;
    if (filters.slaBefore && !(e.slaDeadline && new Date(e.slaDeadline) < filters.slaBefore)) continue;
    out.push(e);
  }
  return out;
}

type Filters = Parameters<typeof listQuery>[0];

export async function run(ctx: CommandContext): Promise<number> {
  const filters: Filters = {
    route: optionText(ctx, 'route'),
    stage: optionText(ctx, 'stage'),
    slaBefore: ctx.options['sla-at-risk'] ? new Date(ctx.now().getTime() + SLA_AT_RISK_MS) : undefined,
  };
  let entries: TicketListEntry[] = [];
  try {
    const client = await ctx.client();
    try {
      for await (const info of client.workflow.list({ query: listQuery(filters) })) entries.push(entryOf(info));
    } catch (err) {
      const known = ctx.knownTickets?.();
      const e = err as { code?: number; cause?: { code?: number } };
      if ((e.code ?? e.cause?.code) !== UNIMPLEMENTED || !known) throw err;
      entries = await describeKnown(client, known, filters);
    }
  } catch (err) {
    ctx.err(`deskflow list: ${rootMessage(err)}`);
    return EXIT_FAILED;
  }
  entries.sort((a, b) => a.key.localeCompare(b.key, 'en', { numeric: true }));
  if (ctx.json) {
    ctx.out(JSON.stringify(entries));
    return EXIT_OK;
  }
  if (entries.length === 0) {
    ctx.out('no tickets match');
    return EXIT_OK;
  }
  const tz = ctx.config.calendar.timeZone;
  const rows = entries.map((e) => [
    e.key,
    e.route ?? '(unclassified)',
    e.stage ?? '-',
    e.nextDeadline ? formatInstant(e.nextDeadline, tz) : '-',
    e.slaBreached ? 'SLA missed' : e.slaDeadline ? `SLA ${formatInstant(e.slaDeadline, tz)}` : '',
    e.assignee ?? '',
  ]);
  const header = ['TICKET', 'ROUTE', 'STAGE', 'NEXT DEADLINE', 'FIRST RESPONSE', 'ASSIGNEE'];
  for (const line of columns([header, ...rows])) ctx.out(line);
  return EXIT_OK;
}
