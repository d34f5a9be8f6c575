/**
 * The Java time-skipping test server skips a day of timers in a fraction of a second of wall time.
 * On a real server (or a mock that does not move the workflow clock) these assertions fail.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, fixtureWorkflowsPath, uniqueTaskQueue } from '../helpers/temporal';
import { longTimersWorkflow, releaseSignal } from '../fixtures/workflows';

const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;

beforeAll(async () => {
  env = await createTimeSkippingEnv();
});

afterAll(async () => {
  await env?.teardown();
});

test('a 25 h sleep plus a 2 h condition timeout finish in under a second of wall time, with the workflow clock 27 h on', async () => {
  expect(env.supportsTimeSkipping).toBe(true);
  const taskQueue = uniqueTaskQueue('time-skipping');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fixtureWorkflowsPath,
  });
  const result = await worker.runUntil(async () => {
    // Warm-up run without timers, so the measured run below is the skipping alone, not worker start-up.
    await env.client.workflow.execute(longTimersWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-warm`,
      args: [0, 0],
    });
    const wallStart = Date.now();
    const r = await env.client.workflow.execute(longTimersWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-skip`,
      args: [25, 2],
    });
    return { ...r, wallMs: Date.now() - wallStart };
  });
  expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(25 * HOUR);
  expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(27 * HOUR);
  expect(result.released).toBe(false);
  expect(result.wallMs).toBeLessThan(1_000);
});

test('a signal before the condition timeout wins after a skipped 25 h sleep, and env.sleep moves the server clock', async () => {
  const taskQueue = uniqueTaskQueue('time-skipping-signal');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fixtureWorkflowsPath,
  });
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start(longTimersWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-wf`,
      args: [25, 48],
    });
    const before = await env.currentTimeMs();
    const wallStart = Date.now();
    await env.sleep(26 * HOUR); // past the sleep, inside the 48 h wait
    const skippedWallMs = Date.now() - wallStart;
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(26 * HOUR);
    expect(skippedWallMs).toBeLessThan(1_000);
    await handle.signal(releaseSignal);
    return await handle.result();
  });
  expect(result.released).toBe(true);
  expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(25 * HOUR);
  expect(result.finishedAt - result.startedAt).toBeLessThan(48 * HOUR);
});
