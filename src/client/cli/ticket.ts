/**
 * Shared by the agent commands: run one update on a ticket's workflow and report the outcome.
 * The workflow's update validators decide whether the command fits the ticket's stage; a rejected
 * update changes nothing and its reason is shown to the agent.
 */
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { ticketWorkflowId } from '../../workflows/ids';
import { statusQuery, type CommandResult, type Stage } from '../../workflows/messages';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from './context';

/** The innermost message of an error's cause chain (the validator's own words). */
export function rootMessage(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  let cause: unknown = err instanceof Error ? err.cause : undefined;
  for (let depth = 0; cause instanceof Error && depth < 5; depth++) {
    if (cause.message) message = cause.message;
    cause = cause.cause;
  }
  return message;
}

/**
 * Explains a WorkflowNotFoundError: a ticket deskflow never saw, or one whose workflow has ended
 * (Temporal answers "not found" to updates on closed runs).
 */
export async function explainNotFound(key: string, handle: WorkflowHandle): Promise<string> {
  try {
    const d = await handle.describe();
    return `${key} is no longer active in deskflow (its workflow is ${d.status.name.toLowerCase()}); nothing changed`;
  } catch {
    return `${key} is not tracked by deskflow`;
  }
}

export async function handleFor(ctx: CommandContext, key: string): Promise<WorkflowHandle> {
  const client = await ctx.client();
  return client.workflow.getHandle(ticketWorkflowId(key));
}

/** Runs `update` with `arg` on the ticket named by the `ticket` argument and prints the result. */
export async function runTicketUpdate<A>(
  ctx: CommandContext,
  update: UpdateDefinition<CommandResult, [A]>,
  arg: A,
): Promise<number> {
  const key = ctx.args.ticket ?? '';
  const handle = await handleFor(ctx, key);
  let result: CommandResult;
  try {
    result = await handle.executeUpdate(update, { args: [arg] });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) {
      ctx.err(`deskflow ${update.name}: ${key}: refused: ${withoutKey(key, rootMessage(err))}`);
    } else if (err instanceof WorkflowNotFoundError) {
      ctx.err(`deskflow ${update.name}: ${await explainNotFound(key, handle)}`);
    } else {
      ctx.err(`deskflow ${update.name}: ${key}: ${rootMessage(err)}`);
    }
    return EXIT_FAILED;
  }
  const after = await stageAfter(handle, result.stage);
  const message = withoutKey(key, result.message);
  if (ctx.json) ctx.out(JSON.stringify({ key, message, stage: after.stage, ...(after.busy ? { busy: true } : {}) }));
  else ctx.out(`${key}: ${message} (stage: ${after.stage}${after.busy ? ', still carrying it out' : ''})`);
  return EXIT_OK;
}

/** "SS-12: closing…" → "closing…": the CLI names the ticket once, at the start of its line. */
export function withoutKey(key: string, message: string): string {
  return message.startsWith(`${key}: `) ? message.slice(key.length + 2) : message;
}

/** How long a command waits for the workflow to carry out what it accepted before reporting. */
export const CARRY_OUT_WAIT_MS = 5_000;

/**
 * The stage the accepted command led to: the update answers when the command is accepted, and the
 * procedure carries it out right after (a comment, a transition); the status query says when it is done
 * (`busy` false). After CARRY_OUT_WAIT_MS (e.g. Jira is down and the activity retries) the current
 * stage is reported with busy true.
 */
export async function stageAfter(
  handle: WorkflowHandle,
  accepted: Stage,
  waitMs = CARRY_OUT_WAIT_MS,
): Promise<{ stage: Stage; busy: boolean }> {
  const deadline = Date.now() + waitMs;
  let last: { stage: Stage; busy: boolean } = { stage: accepted, busy: true };
  for (;;) {
    try {
      const s = await handle.query(statusQuery);
      last = { stage: s.stage, busy: s.busy === true };
    } catch {
      return last; // the run ended between the update and the query: report what is known
    }
    if (!last.busy || Date.now() >= deadline) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `{...fields, by}` without undefined keys, so payloads stay minimal in the history. */
export function withBy<T extends object>(ctx: CommandContext, fields: T): T & { by?: string } {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  if (ctx.by) out.by = ctx.by;
  return out as T & { by?: string };
}
