/**
 * The production worker path on a real Temporal (the Java test server): a workflow bundle prebuilt by
 * scripts/build-workflow-bundle.ts loads through `workflowBundle: { codePath }`, and the health endpoint
 * the container probes ask answers 200 only while that worker polls and Temporal answers.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker } from '@temporalio/worker';
import { buildWorkflowBundle } from '../../scripts/build-workflow-bundle';
import { loadConfig, loadEnv } from '../../src/config';
import {
  healthAddressFromEnv,
  startWorkerHealthServer,
  temporalAnswers,
  workerHealth,
  type HealthServer,
} from '../../src/workers/health';
import { createDataConverter, SCENARIO_CODEC_KEYS } from '../../src/shared/data-converter';
import { createWorker } from '../../src/workers/worker';
import { createTimeSkippingEnv, uniqueTaskQueue } from '../helpers/temporal';

const quietLogger = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} } as never;
let env: TestWorkflowEnvironment;
let dir: string;
let bundlePath: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-bundle-'));
  [env, bundlePath] = await Promise.all([
    createTimeSkippingEnv(),
    buildWorkflowBundle(join(dir, 'workflow-bundle.js'), { logger: quietLogger }),
  ]);
}, 120_000);

afterAll(async () => {
  await env?.teardown();
  rmSync(dir, { recursive: true, force: true });
});

const workerOptions = (taskQueue: string, codePath: string) => ({
  connection: env.nativeConnection,
  namespace: env.namespace ?? 'default',
  taskQueue,
  config: loadConfig(),
  env: loadEnv({}),
  // Nothing listens here: no activity runs in these tests.
  sandboxUrl: 'http://127.0.0.1:9',
  workflowBundle: { codePath },
  dataConverter: createDataConverter(SCENARIO_CODEC_KEYS),
});

async function get(url: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

/** Polls `url` until it answers `status`, for at most `timeoutMs`. */
async function waitForStatus(url: string, status: number, timeoutMs = 15_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await get(url);
    if (answer.status === status) return answer.body;
    if (Date.now() > deadline) throw new Error(`${url} still answers ${answer.status}: ${JSON.stringify(answer.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('the build script writes one self-contained bundle file', () => {
  expect(statSync(bundlePath).size).toBeGreaterThan(100_000);
});

test('a worker on the prebuilt bundle is healthy only while it polls: 503 before run, 200 while running, 503 after shutdown', async () => {
  const worker: Worker = await createWorker(workerOptions(uniqueTaskQueue('health'), bundlePath));
  let health: HealthServer | undefined;
  let running: Promise<void> | undefined;
  try {
    health = await startWorkerHealthServer(
      { state: () => worker.getState(), temporalReachable: () => temporalAnswers(env.nativeConnection) },
      { port: 0, host: '127.0.0.1' },
    );
    const livez = health.url.replace(/\/healthz$/, '/livez');
    expect(await get(health.url)).toEqual({
      status: 503,
      body: { healthy: false, worker: 'INITIALIZED', temporal: 'reachable' },
    });
    expect((await get(livez)).status).toBe(503);

    running = worker.run();
    expect(await waitForStatus(health.url, 200)).toEqual({ healthy: true, worker: 'RUNNING', temporal: 'reachable' });
    expect(await get(livez)).toEqual({ status: 200, body: { worker: 'RUNNING' } });
    expect((await fetch(health.url.replace(/\/healthz$/, '/metrics'))).status).toBe(404);

    worker.shutdown();
    await running;
    const after = await get(health.url);
    expect(after.status).toBe(503);
    expect(after.body).toMatchObject({ healthy: false, worker: expect.stringMatching(/^(STOPPED|DRAINED)$/) });
  } finally {
    if (running && worker.getState() === 'RUNNING') {
      worker.shutdown();
      await running.catch(() => undefined);
    }
    await health?.close();
  }
});

test('a configured bundle that does not exist stops the worker with the variable named', async () => {
  await expect(createWorker(workerOptions(uniqueTaskQueue('no-bundle'), join(dir, 'missing.js')))).rejects.toThrow(
    /workflow bundle .*missing\.js does not exist \(DESKFLOW_WORKFLOW_BUNDLE/,
  );
});

test('WORKER_HEALTH_PORT switches the endpoint on; a malformed value is refused by name', () => {
  expect(healthAddressFromEnv({})).toBeUndefined();
  expect(healthAddressFromEnv({ WORKER_HEALTH_PORT: '8790' })).toEqual({ port: 8790, host: '0.0.0.0' });
  expect(() => healthAddressFromEnv({ WORKER_HEALTH_PORT: 'eighty' })).toThrow(/WORKER_HEALTH_PORT/);
  expect(() => healthAddressFromEnv({ WORKER_HEALTH_PORT: '70000' })).toThrow(/WORKER_HEALTH_PORT/);
});

test('a running worker whose Temporal does not answer is reported unhealthy, naming Temporal', async () => {
  const unreachable = { state: () => 'RUNNING' as const, temporalReachable: () => Promise.reject(new Error('down')) };
  await expect(workerHealth(unreachable)).resolves.toEqual({
    healthy: false,
    worker: 'RUNNING',
    temporal: 'unreachable',
  });
});
