/**
 * The deskflow worker: the ticket workflow and the activities on one task queue. Used by
 * `npm start`, the standalone worker process, the scenario runner and the tests.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DataConverter } from '@temporalio/common';
import { Worker, type NativeConnection, type WorkflowBundleOption } from '@temporalio/worker';
import { activityDepsFromEnv, createActivities } from '../activities';
import type { DeskflowConfig, DeskflowEnv } from '../config';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  config: DeskflowConfig;
  env: DeskflowEnv;
  /** Base URL of the sandbox when it stands in for Jira, Slack and Aha!. */
  sandboxUrl?: string;
  /** A prebuilt workflow bundle (production image); otherwise the workflows are bundled from source. */
  workflowBundle?: WorkflowBundleOption;
  /** Payload encryption (src/shared/data-converter.ts); the same keys as every client's. */
  dataConverter: DataConverter;
}

/** The only path given to the worker: the workflows barrel. */
export const workflowsPath = fileURLToPath(new URL('../workflows/index.ts', import.meta.url));

export async function createWorker(options: CreateWorkerOptions): Promise<Worker> {
  const { connection, namespace, taskQueue, config, env, sandboxUrl, workflowBundle, dataConverter } = options;
  if (workflowBundle && 'codePath' in workflowBundle && !existsSync(workflowBundle.codePath)) {
    // A configured bundle that is missing is a broken image or mount: say so instead of bundling from source.
    throw new Error(
      `workflow bundle ${workflowBundle.codePath} does not exist (DESKFLOW_WORKFLOW_BUNDLE; build it with scripts/build-workflow-bundle.ts)`,
    );
  }
  const activities = createActivities(activityDepsFromEnv(config, env, sandboxUrl));
  return Worker.create({
    connection,
    namespace,
    taskQueue,
    activities,
    dataConverter,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath }),
    // Parked tickets outside the cache cost nothing and replay on their next event.
    maxCachedWorkflows: config.worker.maxCachedWorkflows,
    // On SIGTERM running activities get this long to finish (a Jira write in flight) before they are cancelled.
    shutdownGraceTime: '20s',
  });
}
