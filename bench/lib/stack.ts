/**
 * The real deskflow stack for `npm run bench` and `npm run chaos`, as `npm start` runs it but with every
 * part in its own process so a run can kill and restart any of them: the Temporal dev server (SQLite in
 * write-ahead mode, src/local/dev-server.ts), the sandbox, the webhook relay (with a webhook secret) and
 * the worker, plus the floor's own sandbox and worker (bench/floor/). Free ports, a temporary data folder,
 * each process's output in a log file there.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger } from '@temporalio/worker';
import { defaultConfig } from '../../src/config/defaults';
import { startDevServer, freePort, type DevServer } from '../../src/local/dev-server';
import { parseCodecKeys, generateCodecKeyEntry } from '../../src/shared/codec';
import { createDataConverter } from '../../src/shared/data-converter';
import { bundleCacheDir, cachedWorkflowBundle } from '../../src/workers/bundle';
import { TcpProxy } from './tcp-proxy';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const FLOOR_TASK_QUEUE = 'bench-floor';
export const TICKET_TASK_QUEUE = defaultConfig.worker.taskQueue;

export interface StackOptions {
  /** Say what is happening. */
  log: (line: string) => void;
  /** Start the floor's sandbox and worker too. */
  floor?: boolean;
  /** The worker reaches Temporal through a TCP proxy the run can cut (R7). */
  workerProxy?: boolean;
  /** Keep the data folder afterwards (its logs) instead of deleting it. */
  keepData?: boolean;
}

/** A child process started with `node --import tsx`, its output in a log file. */
export class NodeProcess {
  child?: ChildProcess;
  exited?: Promise<void>;
  private readonly logFile: string;

  constructor(
    readonly name: string,
    private readonly script: string,
    private readonly args: string[],
    private readonly env: NodeJS.ProcessEnv,
    dataDir: string,
    private readonly readyLine?: RegExp,
  ) {
    this.logFile = join(dataDir, `${name}.log`);
  }

  get pid(): number {
    return this.child?.pid ?? -1;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts it; with a ready line, resolves once the process printed it. */
  async start(timeoutMs = 120_000): Promise<void> {
    const out = createWriteStream(this.logFile, { flags: 'a' });
    const child = spawn(process.execPath, ['--import', 'tsx', this.script, ...this.args], {
      cwd: repoRoot,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.stdout?.pipe(out, { end: false });
    child.stderr?.pipe(out, { end: false });
    if (!this.readyLine) return;
    const ready = this.readyLine;
    await new Promise<void>((resolve, reject) => {
      let seen = '';
      const timer = setTimeout(
        () => reject(new Error(`${this.name} not ready in ${timeoutMs / 1000} s (see ${this.logFile})`)),
        timeoutMs,
      );
      const onData = (chunk: Buffer) => {
        seen = (seen + chunk.toString()).slice(-4000);
        if (ready.test(seen)) {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(
          new Error(
            `${this.name} exited during start-up (${signal ?? `code ${code}`}); see ${this.logFile}:\n${this.tail()}`,
          ),
        );
      });
    });
  }

  tail(lines = 15): string {
    try {
      return readFileSync(this.logFile, 'utf8').split('\n').slice(-lines).join('\n');
    } catch {
      return '';
    }
  }

  /** SIGKILL (a crash) or SIGTERM (a clean stop, SIGKILL after `graceMs`); resolves once it is gone. */
  async stop(signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM', graceMs = 10_000): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill(signal);
    const timer = setTimeout(() => this.child?.kill('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  /** Resident set size in bytes, from /proc (0 when unknown). */
  rss(): number {
    return rssOf(this.pid);
  }
}

export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system) of a process in ms, from /proc (0 when unknown). */
export function cpuMsOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return 0;
  }
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer in ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}

/** The floor workflows bundled once per change of their source (bench/floor/workflows.ts) or the lock file. */
export async function cachedFloorBundle(): Promise<string> {
  const source = join(repoRoot, 'bench', 'floor', 'workflows.ts');
  const hash = createHash('sha256')
    .update(readFileSync(source))
    .update(readFileSync(join(repoRoot, 'package-lock.json')))
    .digest('hex')
    .slice(0, 16);
  const file = join(bundleCacheDir, `floor-bundle-${hash}.js`);
  if (existsSync(file)) return file;
  mkdirSync(bundleCacheDir, { recursive: true });
  const { code } = await bundleWorkflowCode({ workflowsPath: source, logger: new DefaultLogger('WARN') });
  const partial = `${file}.${process.pid}.tmp`;
  writeFileSync(partial, code);
  renameSync(partial, file);
  return file;
}

export class Stack {
  readonly dataDir = mkdtempSync(join(tmpdir(), 'deskflow-bench-'));
  readonly webhookSecret = randomBytes(32).toString('hex');
  readonly codecKeys = generateCodecKeyEntry('bench');
  devServer?: DevServer;
  temporalPort = 0;
  temporalAddress = '';
  sandbox!: NodeProcess;
  sandboxUrl = '';
  floorSandbox?: NodeProcess;
  floorSandboxUrl = '';
  relay!: NodeProcess;
  relayUrl = '';
  worker!: NodeProcess;
  floorWorker?: NodeProcess;
  proxy?: TcpProxy;
  client!: Client;
  private connection?: Connection;

  constructor(private readonly options: StackOptions) {}

  get webhookUrl(): string {
    return `${this.relayUrl}/webhooks/jira`;
  }

  private commonEnv(): NodeJS.ProcessEnv {
    return {
      TEMPORAL_ADDRESS: this.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      DESKFLOW_CODEC_KEYS: this.codecKeys,
      DESKFLOW_DATA_DIR: this.dataDir,
    };
  }

  async start(): Promise<void> {
    const log = this.options.log;
    log(`data folder ${this.dataDir}`);
    const bundle = cachedWorkflowBundle(bundleCacheDir);
    const floorBundle = this.options.floor ? cachedFloorBundle() : undefined;
    this.temporalPort = await freePort();
    await this.startTemporal();
    this.connection = await Connection.connect({ address: this.temporalAddress, connectTimeout: 10_000 });
    this.client = new Client({
      connection: this.connection,
      namespace: 'default',
      dataConverter: createDataConverter(parseCodecKeys(this.codecKeys)),
    });

    const relayPort = await freePort();
    this.relayUrl = `http://127.0.0.1:${relayPort}`;
    const sandboxPort = await freePort();
    this.sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    this.sandbox = new NodeProcess(
      'sandbox',
      'src/sandbox/main.ts',
      [
        '--port',
        String(sandboxPort),
        '--webhook-url',
        this.webhookUrl,
        '--webhook-secret',
        this.webhookSecret,
        '--data-file',
        join(this.dataDir, 'sandbox.json'),
        ...defaultConfig.roles.internalDomains.flatMap((d) => ['--internal-domain', d]),
      ],
      {},
      this.dataDir,
      /sandbox listening/,
    );
    this.relay = new NodeProcess(
      'relay',
      'src/client/relay/main.ts',
      [],
      {
        ...this.commonEnv(),
        RELAY_PORT: String(relayPort),
        WEBHOOK_SECRET: this.webhookSecret,
        // The relay learns deskflow's own Jira account from the sandbox's "myself".
        SANDBOX_URL: this.sandboxUrl,
      },
      this.dataDir,
      /relay listening/,
    );
    let workerAddress = this.temporalAddress;
    if (this.options.workerProxy) {
      this.proxy = await TcpProxy.start('127.0.0.1', this.temporalPort);
      workerAddress = `127.0.0.1:${this.proxy.port}`;
    }
    this.worker = new NodeProcess(
      'worker',
      'src/workers/main.ts',
      [],
      {
        ...this.commonEnv(),
        TEMPORAL_ADDRESS: workerAddress,
        SANDBOX_URL: this.sandboxUrl,
        DESKFLOW_WORKFLOW_BUNDLE: await bundle,
      },
      this.dataDir,
      /polling task queue/,
    );
    log('starting sandbox, relay and worker…');
    const starts = [this.sandbox.start(), this.relay.start(), this.worker.start()];
    if (this.options.floor) {
      const floorPort = await freePort();
      this.floorSandboxUrl = `http://127.0.0.1:${floorPort}`;
      this.floorSandbox = new NodeProcess(
        'floor-sandbox',
        'src/sandbox/main.ts',
        ['--port', String(floorPort), '--data-file', join(this.dataDir, 'floor-sandbox.json')],
        {},
        this.dataDir,
        /sandbox listening/,
      );
      this.floorWorker = new NodeProcess(
        'floor-worker',
        'bench/floor/worker.ts',
        [],
        {
          ...this.commonEnv(),
          FLOOR_SANDBOX_URL: this.floorSandboxUrl,
          FLOOR_TASK_QUEUE,
          FLOOR_BUNDLE: await floorBundle,
        },
        this.dataDir,
        /floor worker polling/,
      );
      starts.push(this.floorSandbox.start(), this.floorWorker.start());
    }
    await Promise.all(starts);
    await waitForHttp(`${this.relayUrl}/healthz`, 30_000);
    log('stack up');
  }

  async startTemporal(): Promise<void> {
    this.devServer = await startDevServer({
      dbFile: join(this.dataDir, 'temporal.db'),
      port: this.temporalPort,
      uiPort: false,
      output: 'ignore',
      readyTimeoutMs: 120_000,
    });
    this.temporalAddress = this.devServer.address;
  }

  /**
   * R6: the dev server stopped — SIGTERM to its process group, SIGKILL after `graceMs` — its SQLite
   * file stays.
   */
  async stopTemporal(graceMs = 4_000): Promise<void> {
    const server = this.devServer;
    if (!server) return;
    const group = (signal: NodeJS.Signals) => {
      try {
        process.kill(-server.pid, signal);
      } catch {
        // already gone
      }
    };
    group('SIGTERM');
    const timer = setTimeout(() => group('SIGKILL'), graceMs);
    await server.exited;
    clearTimeout(timer);
    group('SIGKILL'); // anything of the group still closing
    // The wrapper is gone at once; the server itself may still be closing: wait until its port refuses.
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline && (await portOpen(this.temporalPort))) await new Promise((r) => setTimeout(r, 200));
  }

  processes(): NodeProcess[] {
    return [this.sandbox, this.relay, this.worker, this.floorSandbox, this.floorWorker].filter(
      (p): p is NodeProcess => p !== undefined,
    );
  }

  async stop(): Promise<void> {
    await Promise.all(this.processes().map((p) => p.stop('SIGTERM', 8_000).catch(() => undefined)));
    await this.connection?.close().catch(() => undefined);
    this.proxy?.close();
    await this.devServer?.stop().catch(() => undefined);
    if (!this.options.keepData) rmSync(this.dataDir, { recursive: true, force: true });
  }
}
