/**
 * The Java time-skipping test server moves the workflow clock over long timers without waiting them out.
 * On a real server (or a mock that does not move the workflow clock) these assertions fail. How fast it
 * skips is a figure for the benchmark, not an assertion here (wall-clock assertions fail on a busy machine).
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { createTimeSkippingEnv, fixtureWorkflowsPath, uniqueTaskQueue } from '../helpers/temporal';
import { longTimersWorkflow, releaseSignal } from '../fixtures/workflows';
import { WorkflowJanitor } from '../helpers/isolation';

const HOUR = 3_600_000;
let env: TestWorkflowEnvironment;
const janitor = new WorkflowJanitor();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: janitor.clientOptions });
});

afterEach(async () => {
  await janitor.endAll(env.client);
});

afterAll(async () => {
  await env?.teardown();
});

test('a 25 h sleep plus a 2 h condition timeout finish with the workflow clock 27 h on', async () => {
  expect(env.supportsTimeSkipping).toBe(true);
  const taskQueue = uniqueTaskQueue('time-skipping');
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    workflowsPath: fixtureWorkflowsPath,
  });
  const result = await worker.runUntil(
    env.client.workflow.execute(longTimersWorkflow, {
      taskQueue,
      workflowId: `${taskQueue}-skip`,
      args: [25, 2],
    }),
  );
  expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(25 * HOUR);
  expect(result.finishedAt - result.startedAt).toBeGreaterThanOrEqual(27 * HOUR);
  expect(result.released).toBe(false);
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
    await env.sleep(26 * HOUR); // past the sleep, inside the 48 h wait
    expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(26 * HOUR);
    await handle.signal(releaseSignal);
    return await handle.result();
  });
  expect(result.released).toBe(true);
  expect(result.wokeAt - result.startedAt).toBeGreaterThanOrEqual(25 * HOUR);
  expect(result.finishedAt - result.startedAt).toBeLessThan(48 * HOUR);
});
