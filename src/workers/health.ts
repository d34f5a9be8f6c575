/**
 * The worker's health endpoints for container probes. `GET /healthz` (readiness, compose health check)
 * answers 200 only while the worker is polling (state RUNNING) and the Temporal frontend answers a health
 * check; otherwise 503. `GET /livez` (Kubernetes liveness) looks at the worker state alone, so an outage
 * of Temporal does not get every worker restarted in a loop. The body names both states, so a failing
 * probe says why.
 *
 * Off unless WORKER_HEALTH_PORT is set (the image's compose and Kubernetes set it), so two workers
 * started by hand on one machine do not fight over a port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NativeConnection, State } from '@temporalio/worker';
import { z } from 'zod';

export const WORKER_HEALTH_PATH = '/healthz';
export const WORKER_LIVENESS_PATH = '/livez';

const healthEnvSchema = z.object({
  WORKER_HEALTH_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  WORKER_HEALTH_HOST: z.string().min(1).default('0.0.0.0'),
});

/** Where to serve the health endpoint, or undefined when WORKER_HEALTH_PORT is unset. */
export function healthAddressFromEnv(env: NodeJS.ProcessEnv): { port: number; host: string } | undefined {
  const result = healthEnvSchema.safeParse(env);
  if (!result.success) {
    const names = result.error.issues.map((issue) => issue.path.join('.')).join(', ');
    throw new Error(`invalid environment: ${names}: expected a port number between 1 and 65535`);
  }
  const { WORKER_HEALTH_PORT: port, WORKER_HEALTH_HOST: host } = result.data;
  return port === undefined ? undefined : { port, host };
}

export interface WorkerHealthSource {
  /** The SDK worker's state: only RUNNING means it polls its task queue. */
  state(): State;
  /** Resolves when the Temporal frontend answers; rejects (or resolves false) when it does not. */
  temporalReachable(): Promise<boolean>;
}

export interface WorkerHealthReport {
  healthy: boolean;
  worker: State;
  temporal: 'reachable' | 'unreachable';
}

export async function workerHealth(source: WorkerHealthSource): Promise<WorkerHealthReport> {
  const worker = source.state();
  const reachable = await source.temporalReachable().catch(() => false);
  return { healthy: worker === 'RUNNING' && reachable, worker, temporal: reachable ? 'reachable' : 'unreachable' };
}

/** True when the frontend behind `connection` answers within `timeoutMs` (a GetSystemInfo call). */
export async function temporalAnswers(connection: NativeConnection, timeoutMs = 3000): Promise<boolean> {
  try {
    await connection.withDeadline(Date.now() + timeoutMs, () => connection.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  }
}

export interface HealthServer {
  url: string;
  close(): Promise<void>;
}

/** Serves GET /healthz and GET /livez from `source`; every other request gets 404. */
export async function startWorkerHealthServer(
  source: WorkerHealthSource,
  address: { port: number; host: string },
): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    if (req.method === 'GET' && req.url === WORKER_LIVENESS_PATH) {
      const worker = source.state();
      res.writeHead(worker === 'RUNNING' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ worker }));
      return;
    }
    if (req.method !== 'GET' || req.url !== WORKER_HEALTH_PATH) {
      res.writeHead(404).end();
      return;
    }
    void workerHealth(source).then((report) => {
      res.writeHead(report.healthy ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(report));
    });
  });
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(address.port, address.host, () => resolveListen());
  });
  const { port } = server.address() as AddressInfo;
  const host = address.host === '0.0.0.0' ? '127.0.0.1' : address.host;
  return {
    url: `http://${host}:${port}${WORKER_HEALTH_PATH}`,
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}
