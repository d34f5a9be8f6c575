/**
 * `deskflow adopt <ticket>` / `deskflow adopt --jql '<JQL>'`: switching deskflow on for tickets that were in
 * Jira before it (issue 9). Each ticket without a workflow gets one, which reads the ticket as it is in Jira
 * and takes it from there (src/workflows/adoption.ts): an assigned ticket keeps its assignee, an answered one
 * gets no acknowledgement and no SLA alert, one with an open CS/DEV issue waits for it, a resolved or closed
 * one starts nothing. Tickets deskflow already tracks are left alone, so running it twice changes nothing.
 * The JQL search runs on the worker (which holds the Jira credentials).
 */
import { randomUUID } from 'node:crypto';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { ticketWorkflow } from '../../../workflows';
import { ticketWorkflowId } from '../../../workflows/ids';
import { ticketKeyAttribute } from '../../../workflows/search-attributes';
import type { findTicketsWorkflow } from '../../../workflows/sweep';
import { TICKET_WORKFLOW_TYPE } from '../../connection';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, optionText, type CommandContext } from '../context';
import { rootMessage } from '../ticket';

type Outcome = 'adopted' | 'tracked' | 'ended' | 'failed';

const MAX_TICKETS = 1000;

async function adoptOne(client: Client, taskQueue: string, key: string): Promise<{ outcome: Outcome; note?: string }> {
  try {
    await client.workflow.start<typeof ticketWorkflow>(TICKET_WORKFLOW_TYPE, {
      workflowId: ticketWorkflowId(key),
      taskQueue,
      args: [{ key }],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      typedSearchAttributes: [{ key: ticketKeyAttribute, value: key }],
    });
    return { outcome: 'adopted' };
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) return { outcome: 'failed', note: rootMessage(err) };
  }
  try {
    const d = await client.workflow.getHandle(ticketWorkflowId(key)).describe();
    return d.status.name === 'RUNNING' ? { outcome: 'tracked' } : { outcome: 'ended' };
  } catch {
    return { outcome: 'tracked' };
  }
}

/** A progress bar on a terminal, one line per ticket otherwise. */
function progress(ctx: CommandContext, total: number): (done: number, key: string, outcome: Outcome) => void {
  if (ctx.tty && !ctx.json) {
    return (done, key) => {
      const width = 30;
      const filled = Math.round((done / total) * width);
      const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${key}`;
      process.stderr.write(`\r${bar.padEnd(60)}${done === total ? '\n' : ''}`);
    };
  }
  return (done, key, outcome) => {
    if (!ctx.json) ctx.err(`${done}/${total} ${key}: ${outcome}`);
  };
}

export async function run(ctx: CommandContext): Promise<number> {
  const jql = optionText(ctx, 'jql');
  const single = ctx.args.ticket;
  if ((jql === undefined) === (single === undefined)) {
    ctx.err('deskflow adopt: give one ticket key or --jql, not both and not neither');
    return EXIT_USAGE;
  }
  const project = ctx.config.jira.supportProject;
  if (single && !single.startsWith(`${project}-`)) {
    ctx.err(`deskflow adopt: ${single} is not a ${project} ticket; only support tickets have a workflow`);
    return EXIT_USAGE;
  }
  const client = await ctx.client();
  const taskQueue = ctx.taskQueue ?? ctx.config.worker.taskQueue;
  let keys: string[];
  if (single) keys = [single];
  else {
    try {
      keys = await client.workflow.execute<typeof findTicketsWorkflow>('findTicketsWorkflow', {
        workflowId: `deskflow-adopt-search-${randomUUID()}`,
        taskQueue,
        args: [jql as string, MAX_TICKETS],
        workflowExecutionTimeout: '2 minutes',
      });
    } catch (err) {
      ctx.err(`deskflow adopt: the search failed: ${rootMessage(err)}`);
      return EXIT_FAILED;
    }
    keys = keys.filter((k) => k.startsWith(`${project}-`));
  }
  const counts: Record<Outcome, string[]> = { adopted: [], tracked: [], ended: [], failed: [] };
  const tick = progress(ctx, keys.length);
  for (const [i, key] of keys.entries()) {
    const { outcome, note } = await adoptOne(client, taskQueue, key);
    counts[outcome].push(key);
    if (note) ctx.err(`deskflow adopt: ${key}: ${note}`);
    tick(i + 1, key, outcome);
  }
  if (ctx.json) {
    ctx.out(JSON.stringify(counts));
  } else {
    ctx.out(
      `${keys.length} ticket(s): ${counts.adopted.length} adopted, ${counts.tracked.length} already tracked, ` +
        `${counts.ended.length} already handled by deskflow (workflow ended), ${counts.failed.length} failed`,
    );
    if (keys.length === 0) ctx.out('no ticket matched');
  }
  return counts.failed.length ? EXIT_FAILED : EXIT_OK;
}
