/**
 * `npm start`: deskflow on one machine. Starts, in order,
 *   1. the Temporal dev server (SQLite in the data folder, Web UI, search attributes) unless TEMPORAL_ADDRESS is set,
 *   2. the webhook relay,
 *   3. the sandbox standing in for Jira Service Management, Slack and Aha! unless JIRA_HOST is set,
 *   4. the worker,
 * prints where each listens (Web UI first) and stops them all on Ctrl-C.
 * A component that is still a placeholder ("not built yet") is reported and skipped.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { ConfigError, loadConfig, loadEnv, type DeskflowConfig, type DeskflowEnv } from './config';
import { startDevServer, type DevServer } from './local/dev-server';
import { startSandbox, type Sandbox } from './sandbox/server';
import { bundleCacheDir, cachedWorkflowBundle } from './workers/bundle';
import { createWorker } from './workers/worker';
import { startRelay, WEBHOOK_PATH, type Relay } from './client/relay/server';
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
  private stopping?: Promise<void>;

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

async function start(stack: Stack, env: DeskflowEnv, config: DeskflowConfig): Promise<void> {
  const dataDir = resolve(env.DESKFLOW_DATA_DIR ?? join(repoRoot, '.data'));
  mkdirSync(dataDir, { recursive: true });
  const namespace = env.TEMPORAL_NAMESPACE;
  const taskQueue = env.TEMPORAL_TASK_QUEUE ?? config.worker.taskQueue;

  // 0. Payload encryption: keys from the environment, else a development key kept in the data folder; the
  // Web UI decrypts through the codec server, which only the UI's origin may call.
  const codecKeys = codecKeysFrom(env, dataDir, true);
  const dataConverter = createDataConverter(codecKeys);
  stack.codecServer = await startCodecServer({
    codec: new AesGcmCodec(codecKeys),
    port: env.CODEC_PORT,
    allowedOrigins: [`http://localhost:${env.UI_PORT}`, `http://127.0.0.1:${env.UI_PORT}`],
    token: env.DESKFLOW_CODEC_TOKEN,
  });

  // 1. Temporal
  let address: string;
  if (env.TEMPORAL_ADDRESS) {
    address = env.TEMPORAL_ADDRESS;
    say(`${label('Temporal')}using ${address} (TEMPORAL_ADDRESS), namespace ${namespace}`);
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
    say(`${label('Temporal Web UI')}http://localhost:${env.UI_PORT}/namespaces/${namespace}/workflows`);
    say(`${label('Temporal')}${address} (dev server, state in ${dbFile})`);
  }
  const connection = await Connection.connect({ address });
  stack.client = new Client({ connection, namespace, dataConverter });
  say(`${label('codec server')}${stack.codecServer.url} (the Web UI decrypts payloads through it)`);

  // 2. Relay. Real Jira must reach it from outside; the sandbox calls it on this machine.
  const relayHost = env.JIRA_HOST ? '0.0.0.0' : '127.0.0.1';
  let webhookUrl: string | undefined;
  try {
    stack.relay = await startRelay({
      client: stack.client,
      taskQueue,
      config,
      port: env.RELAY_PORT,
      host: relayHost,
      webhookSecret: env.WEBHOOK_SECRET,
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
        webhookSecret: env.WEBHOOK_SECRET,
        internalDomains: config.roles.internalDomains,
      });
      say(`${label('sandbox')}${stack.sandbox.url} (Jira Service Management, Slack, Aha! stand-in)`);
    } catch (err) {
      if (!isNotBuiltYet(err)) throw err;
      say(`${label('sandbox')}not started: ${(err as Error).message}`);
    }
  }

  // 4. Worker
  try {
    stack.nativeConnection = await NativeConnection.connect({ address });
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
    stack.workerRun = stack.worker.run().catch((err: unknown) => {
      say(`${label('worker')}stopped with an error: ${(err as Error).message}`);
    });
    say(`${label('worker')}polling task queue ${taskQueue}`);
  } catch (err) {
    if (!isNotBuiltYet(err)) throw err;
    say(`${label('worker')}not started: ${(err as Error).message}`);
  }
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

  const stack = new Stack();
  let signalled = false;
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
    await start(stack, env, config);
  } catch (err) {
    process.stderr.write(`deskflow: ${(err as Error).message}\n`);
    await stack.stop();
    process.exit(1);
  }
  if (!signalled) say('deskflow is up. Ctrl-C stops everything.');
}

void main();
