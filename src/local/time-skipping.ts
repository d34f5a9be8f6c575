/**
 * The time-skipping test environment on Temporal's Java test server, which setup installs in the tool
 * folder (no download at run time). Workflow tests and the scenario runner both use it.
 */
import { TestWorkflowEnvironment, type TimeSkippingTestWorkflowEnvironmentOptions } from '@temporalio/testing';
import { testServerPath } from './tools';

export type TimeSkippingEnvOptions = Omit<TimeSkippingTestWorkflowEnvironmentOptions, 'server'>;

/**
 * Starts a private Java test server and connects to it. As with the SDK's own download, time is locked
 * at start and skips only while the client awaits a workflow result or `env.sleep` runs.
 *
 * The SDK gives the server about 5 s to listen; with setup's class-data-sharing archive it needs well
 * under one, but a machine busy with parallel jest workers can be slower, so a start that times out is
 * tried once more. Call `teardown()` on the result when done: it stops the server.
 */
export async function createTimeSkippingEnv(options: TimeSkippingEnvOptions = {}): Promise<TestWorkflowEnvironment> {
  const path = testServerPath();
  const create = () =>
    TestWorkflowEnvironment.createTimeSkipping({
      ...options,
      server: { executable: { type: 'existing-path', path } },
    });
  try {
    return await create();
  } catch (err) {
    if (!/did not start within/.test((err as Error).message)) throw err;
    return await create();
  }
}
