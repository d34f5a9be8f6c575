/**
 * `deskflow status <ticket>`: what deskflow knows and does about a ticket — the route and why
 * (S-03), the stage, what it waits for and until when, the first-response SLA (S-01), and the
 * timeline of its actions by SOP step.
 */
import { WorkflowNotFoundError } from '@temporalio/client';
import { statusQuery, type TicketStatus } from '../../../workflows/messages';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from '../context';
import { formatInstant } from '../format';
import { explainNotFound, handleFor, rootMessage } from '../ticket';

export async function run(ctx: CommandContext): Promise<number> {
  const key = ctx.args.ticket ?? '';
  const handle = await handleFor(ctx, key);
  let status: TicketStatus;
  try {
    status = await handle.query(statusQuery);
  } catch (err) {
    const reason =
      err instanceof WorkflowNotFoundError ? await explainNotFound(key, handle) : `${key}: ${rootMessage(err)}`;
    ctx.err(`deskflow status: ${reason}`);
    return EXIT_FAILED;
  }
  if (ctx.json) {
    ctx.out(JSON.stringify(status));
    return EXIT_OK;
  }
  for (const line of describeStatus(status, ctx.config.calendar.timeZone)) ctx.out(line);
  return EXIT_OK;
}

/** The human view of a TicketStatus, one string per line. */
export function describeStatus(s: TicketStatus, timeZone: string): string[] {
  const at = (iso: string | null) => formatInstant(iso, timeZone);
  const lines: string[] = [];
  lines.push(`${s.key}  stage: ${s.stage}`);
  if (s.route) {
    const type = s.requestType ? ` (${s.requestType})` : '';
    const confidence = s.confidence === null ? '' : `, confidence ${s.confidence.toFixed(2)}`;
    lines.push(`route:       ${s.route}${type}${confidence}`);
  } else {
    lines.push('route:       not classified yet');
  }
  for (const reason of s.reasons) lines.push(`  - ${reason}`);
  lines.push(`waiting for: ${s.waitingFor || '-'}${s.until ? `, until ${at(s.until)}` : ''}`);
  if (s.firstResponseAt) lines.push(`first reply: ${at(s.firstResponseAt)}`);
  else if (s.slaDeadline) lines.push(`SLA:         first response due ${at(s.slaDeadline)}`);
  lines.push(`assignee:    ${s.assignee ?? 'unassigned'}`);
  lines.push(`linked:      ${s.linkedIssues.length ? s.linkedIssues.join(', ') : '-'}`);
  if (s.timeline.length) {
    lines.push('timeline:');
    for (const t of s.timeline) lines.push(`  ${at(t.at)}  ${t.step.padEnd(5)} ${t.text}`);
  }
  return lines;
}
