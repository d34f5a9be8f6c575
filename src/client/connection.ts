/**
 * The one place every deskflow process (CLI, relay, worker, `npm start`, scenario runner) learns how to
 * reach Temporal, so an agent in the same shell as `npm start` always talks to the same server.
 *
 * Settings come from Temporal's own environment configuration (`@temporalio/envconfig`):
 * TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS_*, TEMPORAL_PROFILE and the
 * profiles of `temporal.toml`. Without an address there, it is the local stack's dev server on
 * 127.0.0.1:TEMPORAL_PORT (default 7233).
 */
import { Client, Connection, type TLSConfig } from '@temporalio/client';
import { loadClientConnectConfig } from '@temporalio/envconfig';
import type { DeskflowConfig, DeskflowEnv } from '../config';
import { dataConverterFrom, localDataDir } from '../shared/data-converter';

export const DEFAULT_TEMPORAL_PORT = 7233;

export interface TemporalSettings {
  /** host:port of the frontend. */
  address: string;
  namespace: string;
  /** True when the address was configured (TEMPORAL_ADDRESS or a profile); false for the local stack. */
  configured: boolean;
  /** For Connection.connect and NativeConnection.connect (address, TLS, API key, gRPC metadata). */
  connectionOptions: {
    address: string;
    tls?: TLSConfig | boolean;
    apiKey?: string;
    metadata?: Record<string, string>;
  };
}

/** Reads the connection settings; a broken profile file or TLS setting stops with the reason. */
export function temporalSettings(env: NodeJS.ProcessEnv = process.env): TemporalSettings {
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') vars[k] = v;
  let loaded;
  try {
    loaded = loadClientConnectConfig({ overrideEnvVars: vars });
  } catch (err) {
    throw new Error(`invalid Temporal connection settings: ${(err as Error).message}`, { cause: err });
  }
  const fromConfig = loaded.connectionOptions.address;
  // 0 is `npm start`'s "pick a free port for the dev server" (src/main.ts); it prints the one it took.
  const port = vars.TEMPORAL_PORT ? Number(vars.TEMPORAL_PORT) : DEFAULT_TEMPORAL_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`invalid TEMPORAL_PORT "${vars.TEMPORAL_PORT}": a port number is expected`);
  }
  const address = fromConfig || `127.0.0.1:${port}`;
  const { apiKey, tls, metadata } = loaded.connectionOptions;
  return {
    address,
    namespace: loaded.namespace || 'default',
    configured: Boolean(fromConfig),
    connectionOptions: {
      address,
      ...(tls !== undefined ? { tls: tls as TLSConfig | boolean } : {}),
      ...(typeof apiKey === 'string' ? { apiKey } : {}),
      ...(metadata ? { metadata: metadata as Record<string, string> } : {}),
    },
  };
}

/**
 * Connects a client; fails within `connectTimeoutMs` (default 3 s) naming the address when the
 * server cannot be reached.
 */
export async function connectClient(
  env: NodeJS.ProcessEnv = process.env,
  options: { connectTimeoutMs?: number } = {},
): Promise<Client> {
  const settings = temporalSettings(env);
  const dataConverter = dataConverterFrom(env, localDataDir(env)); // payloads sealed (issue 10)
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...settings.connectionOptions,
      connectTimeout: options.connectTimeoutMs ?? 3_000,
    });
  } catch (err) {
    // No `cause`: callers show the innermost message of a chain, and this one must name the address.
    throw new Error(`cannot reach Temporal at ${settings.address}: ${(err as Error).message}`);
  }
  return new Client({ connection, namespace: settings.namespace, dataConverter });
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
