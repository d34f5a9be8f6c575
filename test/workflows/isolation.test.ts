/**
 * Issue 8: the janitor that keeps workflows from outliving their tests. A workflow parked on a timer on
 * a task queue nobody polls is found and terminated, so the server's time skipping is never held up.
 */
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';
import { longTimersWorkflow } from '../fixtures/workflows';
import { WorkflowJanitor } from '../helpers/isolation';

let env: TestWorkflowEnvironment;
const janitor = new WorkflowJanitor();

beforeAll(async () => {
  env = await createTimeSkippingEnv({ client: janitor.clientOptions });
});

afterAll(async () => {
  await env?.teardown();
});

test('every workflow the test client started and left running is terminated; finished ones are left alone', async () => {
  const taskQueue = uniqueTaskQueue('janitor');
  const parked = await env.client.workflow.start(longTimersWorkflow, {
    taskQueue,
    workflowId: `${taskQueue}-parked`,
    args: [48, 1],
  });
  const done = await env.client.workflow.start(longTimersWorkflow, {
    taskQueue,
    workflowId: `${taskQueue}-done`,
    args: [1, 1],
  });
  await done.terminate('finished before the janitor runs');
  expect(await janitor.endAll(env.client)).toEqual([parked.workflowId]);
  expect((await parked.describe()).status.name).toBe('TERMINATED');
  expect(await janitor.endAll(env.client)).toEqual([]);
});
