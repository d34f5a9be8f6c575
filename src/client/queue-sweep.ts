/**
 * Starts the S-01 queue sweep (src/workflows/sweep.ts) unless it runs already: `npm start`, the relay and
 * the scenario runner call this at start, any number of times.
 */
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { queueSweepWorkflow, QueueSweepInput } from '../workflows/sweep';
import { QUEUE_SWEEP_WORKFLOW_ID, queueSweepStatusQuery } from '../workflows/sweep';

export const QUEUE_SWEEP_WORKFLOW_TYPE = 'queueSweepWorkflow';

/** true when this call started the sweep, false when it was already running. */
export async function ensureQueueSweep(
  client: Client,
  taskQueue: string,
  input: QueueSweepInput = {},
): Promise<boolean> {
  try {
    await client.workflow.start<typeof queueSweepWorkflow>(QUEUE_SWEEP_WORKFLOW_TYPE, {
      workflowId: QUEUE_SWEEP_WORKFLOW_ID,
      taskQueue,
      args: [input],
      // A sweep that ended (terminated by an operator, failed) may be started again; a running one is kept.
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
      staticSummary: 'S-01 queue sweep: adopts open SS tickets that have no ticket workflow',
    });
    return true;
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return false;
    throw err;
  }
}

/** Resolves once the running sweep has finished at least `sweeps` sweeps (polling its status query). */
export async function queueSweepDone(client: Client, sweeps = 1, timeoutMs = 30_000): Promise<void> {
  const handle = client.workflow.getHandle(QUEUE_SWEEP_WORKFLOW_ID);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await handle.query(queueSweepStatusQuery)).sweeps >= sweeps) return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new Error(`the queue sweep did not finish ${sweeps} sweep(s) in time`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
