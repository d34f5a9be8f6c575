/**
 * `npm start`: deskflow on one machine. Starts, in order,
 *   1. the Temporal dev server (SQLite in the data folder, Web UI, search attributes) unless TEMPORAL_ADDRESS is set,
 *   2. the webhook relay,
 *   3. the sandbox standing in for Jira Service Management, Slack and Aha! unless JIRA_HOST is set,
 *   4. the worker,
 * prints where each listens (Web UI first) and stops them all on Ctrl-C.
 * A component that is still a placeholder ("not built yet") is reported and skipped.
 *
 * A port set to 0 is picked free at start (the lines printed say which): the test suites run several
 * stacks at once, and a port picked by the caller could be taken before the stack binds it.
 *
 * Safe by default: every port is checked before anything starts (a taken one is named with what holds
 * it); the sandbox and the relay share a webhook secret generated for the run; the dev server dies
 * with this process even on SIGKILL (see src/local/dev-server.ts). Supervision: a crash of any
 * component (the dev server exiting, the worker failing, an uncaught error in the relay or the sandbox)
 * is reported in one line and stops the whole stack with exit code 1 — a half-running stack that looks
 * up is worse than a clear stop. Loss of the Temporal connection is reported once when it starts and
 * once when it ends.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { ConfigError, loadConfig, loadEnv, type DeskflowConfig, type DeskflowEnv } from './config';
import { startDevServer, type DevServer } from './local/dev-server';
import { pagePeople, startSandbox, type Sandbox } from './sandbox/server';
import { bundleCacheDir, cachedWorkflowBundle } from './workers/bundle';
import { startBoard, type Board } from './board/server';
import { metricsAddressFromEnv, startWorkerTicketGauges } from './workers/metrics';
import { createWorker } from './workers/worker';
import { startRelay, WEBHOOK_PATH, type Relay } from './client/relay/server';
import { webhookSecretProblem } from './client/relay/auth';
import { learnSelfAccountId } from './client/relay/identity';
import { activityDepsFromEnv } from './activities/clients';
import { temporalSettings } from './client/connection';
import { requireFreePorts, type PortNeed } from './local/ports';
import { installQuietRuntime, watchTemporal, type TemporalWatch } from './local/temporal-watch';
import { startCodecServer, type CodecServer } from './client/codec-server';
import { AesGcmCodec } from './shared/codec';
import { codecKeysFrom, createDataConverter } from './shared/data-converter';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
/** Everything must be down this long after Ctrl-C; then whatever is left is killed. */
const STOP_LIMIT_MS = 8_000;

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

function label(name: string): string {
  return `  ${name.padEnd(16)}`;
}

/** A stub that throws "… not built yet" is a component still being written: say so and go on without it. */
function isNotBuiltYet(err: unknown): boolean {
  return err instanceof Error && /not built yet/i.test(err.message);
}

class Stack {
  devServer?: DevServer;
  relay?: Relay;
  codecServer?: CodecServer;
  sandbox?: Sandbox;
  worker?: Worker;
  workerRun?: Promise<void>;
  nativeConnection?: NativeConnection;
  client?: Client;
  watch?: TemporalWatch;
  board?: Board;
  private stopping?: Promise<void>;

  get isStopping(): boolean {
    return this.stopping !== undefined;
  }

  /** Reverse order of start; each step bounded so one stuck component cannot hold the others. */
  stop(): Promise<void> {
    this.stopping ??= (async () => {
      const step = async (name: string, fn: () => Promise<unknown>) => {
        try {
          await fn();
        } catch (err) {
          say(`${label(name)}stop: ${(err as Error).message}`);
        }
      };
      this.watch?.stop();
      await step('supervisor board', async () => this.board?.close());
      await step('relay', async () => this.relay?.close());
      await step('worker', async () => {
        if (!this.worker) return;
        if (this.worker.getState() === 'RUNNING') this.worker.shutdown();
        await this.workerRun;
      });
      await step('worker', async () => this.nativeConnection?.close());
      await step('client', async () => this.client?.connection.close());
      await step('sandbox', async () => this.sandbox?.close());
      await step('codec server', async () => this.codecServer?.close());
      await step('Temporal', async () => this.devServer?.stop());
    })();
    return this.stopping;
  }
}

async function start(
  stack: Stack,
  env: DeskflowEnv,
  config: DeskflowConfig,
  fatal: (component: string, why: string) => void,
): Promise<void> {
  const dataDir = resolve(env.DESKFLOW_DATA_DIR ?? join(repoRoot, '.data'));
  mkdirSync(dataDir, { recursive: true });
  const settings = temporalSettings(process.env);
  const namespace = settings.namespace;
  const taskQueue = env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue;
  const relayHost = env.JIRA_HOST ? '0.0.0.0' : '127.0.0.1';

  // 0. Webhook secret: real Jira needs the one configured in Jira; the sandbox gets one for this run.
  let webhookSecret = env.WEBHOOK_SECRET;
  if (!webhookSecret && !env.JIRA_HOST) webhookSecret = randomBytes(32).toString('hex');
  const secretProblem = webhookSecretProblem({
    secret: webhookSecret,
    host: relayHost,
    realJira: Boolean(env.JIRA_HOST),
  });
  if (secretProblem) throw new Error(secretProblem);

  // Every port before anything starts: a leftover server must not be used by accident.
  const ports: PortNeed[] = [{ port: env.RELAY_PORT, purpose: 'webhook relay (RELAY_PORT)', host: relayHost }];
  if (!settings.configured) {
    ports.unshift(
      { port: env.TEMPORAL_PORT, purpose: 'Temporal dev server (TEMPORAL_PORT)' },
      { port: env.UI_PORT, purpose: 'Temporal Web UI (UI_PORT)' },
    );
  }
  if (!env.JIRA_HOST) ports.push({ port: env.SANDBOX_PORT, purpose: 'sandbox (SANDBOX_PORT)' });
  ports.push({ port: env.CODEC_PORT, purpose: 'codec server (CODEC_PORT)' });
  ports.push({ port: env.BOARD_PORT, purpose: 'supervisor board (BOARD_PORT)' });
  await requireFreePorts(ports);

  // Payload encryption: keys from the environment, else a development key kept in the data folder; the
  // Web UI decrypts through the codec server, which only the UI's origin may call.
  const codecKeys = codecKeysFrom(env, dataDir, true);
  const dataConverter = createDataConverter(codecKeys);
  const uiOrigins = (port: number) => [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  stack.codecServer = await startCodecServer({
    codec: new AesGcmCodec(codecKeys),
    port: env.CODEC_PORT,
    allowedOrigins: env.UI_PORT ? uiOrigins(env.UI_PORT) : [], // UI_PORT 0: added once the UI has its port
    token: env.DESKFLOW_CODEC_TOKEN,
  });

  // 1. Temporal
  let address: string;
  let connectionOptions: typeof settings.connectionOptions;
  let uiPort = env.UI_PORT;
  if (settings.configured) {
    address = settings.address;
    connectionOptions = settings.connectionOptions;
    say(`${label('Temporal')}using ${address} (TEMPORAL_ADDRESS or profile), namespace ${namespace}`);
  } else {
    const dbFile = join(dataDir, 'temporal.db');
    stack.devServer = await startDevServer({
      dbFile,
      port: env.TEMPORAL_PORT,
      uiPort: env.UI_PORT,
      namespace,
      uiCodecEndpoint: stack.codecServer.url,
    });
    address = stack.devServer.address;
    connectionOptions = { address };
    uiPort = Number(new URL(stack.devServer.uiUrl ?? `http://localhost:${env.UI_PORT}`).port);
    stack.codecServer.allowOrigins(uiOrigins(uiPort));
    say(`${label('Temporal Web UI')}http://localhost:${uiPort}/namespaces/${namespace}/workflows`);
    say(`${label('Temporal')}${address} (dev server, state in ${dbFile})`);
    void stack.devServer.exited.then((how) => fatal('Temporal dev server', `exited (${how})`));
  }
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...connectionOptions, connectTimeout: 10_000 });
  } catch (err) {
    throw new Error(`cannot reach Temporal at ${address}: ${(err as Error).message}`, { cause: err });
  }
  const client = new Client({ connection, namespace, dataConverter });
  stack.client = client;
  stack.watch = watchTemporal({
    address,
    probe: () => client.withDeadline(Date.now() + 2_000, () => client.workflowService.getSystemInfo({})),
    report: (line) => say(`${label('Temporal')}${line}`),
  });
  say(`${label('codec server')}${stack.codecServer.url} (the Web UI decrypts payloads through it)`);

  // 2. Relay. Real Jira must reach it from outside; the sandbox calls it on this machine.
  let webhookUrl: string | undefined;
  try {
    stack.relay = await startRelay({
      client: stack.client,
      taskQueue,
      config,
      port: env.RELAY_PORT,
      host: relayHost,
      webhookSecret,
      realJira: Boolean(env.JIRA_HOST),
      queueSweep: true,
      // deskflow's own Jira account, from "myself" (the sandbox's unless JIRA_HOST is set), on the first event.
      whoAmI: () => learnSelfAccountId(activityDepsFromEnv(config, env, stack.sandbox?.url).jira),
    });
    webhookUrl = `${stack.relay.url}${WEBHOOK_PATH}`;
    say(`${label('webhook relay')}${webhookUrl}`);
  } catch (err) {
    if (!isNotBuiltYet(err)) throw err;
    say(`${label('webhook relay')}not started: ${(err as Error).message}`);
  }

  // 3. Sandbox (Jira Service Management, Slack, Aha!) unless real Jira is configured.
  if (env.JIRA_HOST) {
    say(`${label('Jira')}${env.JIRA_HOST} (JIRA_HOST); Slack and Aha! from their tokens`);
  } else {
    try {
      stack.sandbox = await startSandbox({
        port: env.SANDBOX_PORT,
        dataFile: join(dataDir, 'sandbox.json'),
        webhookUrl: webhookUrl ?? `http://127.0.0.1:${env.RELAY_PORT}${WEBHOOK_PATH}`,
        webhookSecret,
        internalDomains: config.roles.internalDomains,
        people: pagePeople(config),
        slack: { channels: [{ name: config.roles.supportChannel }] },
      });
      say(`${label('sandbox')}${stack.sandbox.url} (Jira Service Management, Slack, Aha! stand-in)`);
    } catch (err) {
      if (!isNotBuiltYet(err)) throw err;
      say(`${label('sandbox')}not started: ${(err as Error).message}`);
    }
  }

  // 4. Worker
  try {
    stack.nativeConnection = await NativeConnection.connect(connectionOptions);
    stack.worker = await createWorker({
      connection: stack.nativeConnection,
      namespace,
      taskQueue,
      config,
      env,
      sandboxUrl: stack.sandbox?.url,
      dataConverter,
      workflowBundle: { codePath: await cachedWorkflowBundle(bundleCacheDir) }, // rebuilt only when sources change
    });
    stack.workerRun = stack.worker.run().then(
      () => fatal('worker', 'stopped'),
      (err: unknown) => fatal('worker', `failed: ${(err as Error).message}`),
    );
    say(`${label('worker')}polling task queue ${taskQueue}`);
    if (metricsAddressFromEnv(process.env)) {
      const gauges = startWorkerTicketGauges(stack.nativeConnection, namespace, () => undefined);
      void stack.workerRun.finally(() => gauges.stop());
      say(`${label('worker metrics')}http://${metricsAddressFromEnv(process.env)}/metrics`);
    }
  } catch (err) {
    if (!isNotBuiltYet(err)) throw err;
    say(`${label('worker')}not started: ${(err as Error).message}`);
  }

  // 5. Supervisor board (read-only, behind a token: DESKFLOW_BOARD_TOKEN, else one made for this run).
  const boardToken = env.DESKFLOW_BOARD_TOKEN ?? randomBytes(18).toString('base64url');
  stack.board = await startBoard({
    client,
    config,
    namespace,
    token: boardToken,
    temporalUiUrl: settings.configured ? env.TEMPORAL_UI_URL : `http://localhost:${uiPort}`,
    port: env.BOARD_PORT,
  });
  say(`${label('board')}${stack.board.url}/?token=${boardToken}`);
}

async function main(): Promise<void> {
  let env: DeskflowEnv;
  let config: DeskflowConfig;
  try {
    env = loadEnv();
    config = loadConfig({ file: env.DESKFLOW_CONFIG });
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`deskflow: ${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }

  const metricsAddress = metricsAddressFromEnv(process.env);
  installQuietRuntime(say, 'worker', { metricsAddress });
  const stack = new Stack();
  let signalled = false;
  /** A component crashed: one line saying which and why, then the whole stack stops (exit 1). */
  const fatal = (component: string, why: string) => {
    if (stack.isStopping || signalled) return;
    say(`deskflow: the ${component} ${why}; stopping deskflow`);
    const force = setTimeout(() => process.exit(1), STOP_LIMIT_MS);
    force.unref();
    void stack.stop().then(() => {
      say('deskflow stopped');
      process.exit(1);
    });
  };
  process.on('uncaughtException', (err) => fatal('process', `crashed: ${err.stack ?? err.message}`));
  process.on('unhandledRejection', (err) => fatal('process', `crashed: ${String((err as Error)?.stack ?? err)}`));
  let signalledAt = 0;
  const shutdown = (signal: NodeJS.Signals) => {
    if (signalled) {
      // The same Ctrl-C often arrives twice (from the terminal and relayed by tsx): only a later one
      // means "stop waiting". The dev server's exit hook then kills its process group.
      if (Date.now() - signalledAt > 1_500) process.exit(130);
      return;
    }
    signalled = true;
    signalledAt = Date.now();
    say(`\n${signal}: stopping deskflow…`);
    const force = setTimeout(() => {
      say(`still stopping after ${STOP_LIMIT_MS / 1000} s; killing what is left`);
      process.exit(1);
    }, STOP_LIMIT_MS);
    force.unref();
    void stack.stop().then(() => {
      say('deskflow stopped');
      process.exit(0);
    });
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  say('deskflow starting…');
  try {
    await start(stack, env, config, fatal);
  } catch (err) {
    process.stderr.write(`deskflow: ${(err as Error).message}\n`);
    await stack.stop();
    process.exit(1);
  }
  if (!signalled) say('deskflow is up. Ctrl-C stops everything.');
}

void main();
