/** Placeholder: builds the deskflow worker (workflows + activities) on a connection. */
import type { NativeConnection, Worker } from '@temporalio/worker';
import type { DeskflowConfig, DeskflowEnv } from '../config';

export interface CreateWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  config: DeskflowConfig;
  env: DeskflowEnv;
  /** Base URL of the sandbox when it stands in for Jira, Slack and Aha!. */
  sandboxUrl?: string;
}

export async function createWorker(_options: CreateWorkerOptions): Promise<Worker> {
  throw new Error('the worker is not built yet');
}
