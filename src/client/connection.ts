/**
 * The one way deskflow's clients (relay, CLI, scenario runner) reach Temporal: the address and
 * namespace come from the environment, defaulting to the local dev server.
 */
import { Client, Connection } from '@temporalio/client';
import type { DeskflowConfig, DeskflowEnv } from '../config';
import { dataConverterFrom, localDataDir } from '../shared/data-converter';

export const DEFAULT_TEMPORAL_ADDRESS = 'localhost:7233';

export type ConnectionEnv = Pick<
  DeskflowEnv,
  'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'DESKFLOW_CODEC_KEYS' | 'DESKFLOW_CODEC_KEY_ID' | 'DESKFLOW_DATA_DIR'
>;

/** Connects to Temporal; fails at once (naming the address) when the server cannot be reached. */
export async function connectClient(env: ConnectionEnv): Promise<Client> {
  const address = env.TEMPORAL_ADDRESS ?? DEFAULT_TEMPORAL_ADDRESS;
  let connection: Connection;
  try {
    connection = await Connection.connect({ address });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}`, { cause: err });
  }
  const dataConverter = dataConverterFrom(env, localDataDir(env)); // payloads sealed (issue 10)
  return new Client({ connection, namespace: env.TEMPORAL_NAMESPACE ?? 'default', dataConverter });
}

/** The task queue the ticket workflows run on: TEMPORAL_TASK_QUEUE, else the configuration's. */
export function ticketTaskQueue(env: Pick<DeskflowEnv, 'TEMPORAL_TASK_QUEUE'>, config: DeskflowConfig): string {
  return env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue;
}

/**
 * The ticket workflow's type name as the worker registers it (the function `ticketWorkflow` in
 * src/workflows). Clients pair it with `typeof ticketWorkflow` so arguments stay type-checked
 * without importing workflow code.
 */
export const TICKET_WORKFLOW_TYPE = 'ticketWorkflow';
