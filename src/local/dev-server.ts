/**
 * Runs `temporal server start-dev` as a child process: persistent SQLite state, the Web UI, and
 * deskflow's custom search attributes registered at start. Used by `npm start` and the e2e tests.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname } from 'node:path';
import { Connection } from '@temporalio/client';
import { searchAttributeDefinitions } from '../workflows/search-attributes';
import { temporalCliPath } from './tools';

export interface DevServerOptions {
  /** SQLite file holding every workflow; the same file after a restart means nothing is lost. */
  dbFile: string;
  /** gRPC port; 0 or absent picks a free one. */
  port?: number;
  /** Web UI port; 0 or absent picks a free one; `false` runs without the UI. */
  uiPort?: number | false;
  /** Interface both listen on (default 127.0.0.1). */
  ip?: string;
  namespace?: string;
  logLevel?: 'debug' | 'info' | 'warn' | 'error' | 'never';
  /** How long to wait for gRPC, the namespace, the search attributes and the UI (default 60 s). */
  readyTimeoutMs?: number;
  /**
   * What the server prints: 'warnings' (default) passes its log (stderr) through until stop() begins,
   * without the start-up banner or the connection noise of shutting down; 'inherit' shows everything.
   */
  output?: 'warnings' | 'inherit' | 'ignore';
  /** Defaults to `temporalCliPath()`. */
  cliPath?: string;
  /** The codec server the Web UI decrypts payloads with (`--ui-codec-endpoint`). */
  uiCodecEndpoint?: string;
}

export interface DevServer {
  /** host:port of the gRPC frontend. */
  address: string;
  namespace: string;
  /** http://host:port of the Web UI, when it runs. */
  uiUrl?: string;
  pid: number;
  /** Resolves when the process has exited (for whatever reason), with how: "exit code 1", "signal SIGKILL". */
  exited: Promise<string>;
  /** SIGTERM to the whole process group, SIGKILL after a few seconds; resolves once it is gone. */
  stop(): Promise<void>;
}

const STOP_GRACE_MS = 4_000;

/**
 * The dev server never outlives the process that started it, even one killed with SIGKILL (no exit
 * hook runs then). It is started through this small POSIX shell wrapper whose standard input is a pipe
 * from the parent: when the parent dies, for any reason, the kernel closes the pipe, the wrapper's
 * reader sees end-of-file and stops the server (SIGTERM, then SIGKILL after the grace period). The
 * wrapper exits with the server's own exit code.
 */
const WATCHDOG = [
  'exec 3<&0',
  '"$@" </dev/null &',
  'child=$!',
  `( while read -r _; do :; done; kill -TERM "$child" 2>/dev/null; sleep ${STOP_GRACE_MS / 1000}; kill -KILL "$child" 2>/dev/null ) <&3 &`,
  'watcher=$!',
  'exec 3<&-',
  'wait "$child"',
  'code=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$code"',
].join('\n');

export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The command-line arguments for `temporal`, exported so tests can check them. */
export function devServerArgs(o: {
  dbFile: string;
  ip: string;
  port: number;
  uiPort: number | false;
  namespace: string;
  logLevel: string;
  uiCodecEndpoint?: string;
}): string[] {
  const args = ['server', 'start-dev', '--db-filename', o.dbFile, '--ip', o.ip, '--port', String(o.port)];
  if (o.uiPort === false) args.push('--headless');
  else args.push('--ui-port', String(o.uiPort));
  if (o.uiCodecEndpoint && o.uiPort !== false) args.push('--ui-codec-endpoint', o.uiCodecEndpoint);
  if (o.namespace !== 'default') args.push('--namespace', o.namespace);
  for (const { name, type } of searchAttributeDefinitions) args.push('--search-attribute', `${name}=${type}`);
  // Write-ahead logging: without it the dev server manages about one workflow a second.
  args.push('--sqlite-pragma', 'journal_mode=wal', '--sqlite-pragma', 'synchronous=normal');
  args.push('--log-level', o.logLevel);
  return args;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal); // the whole process group (the child was started detached)
  } catch {
    try {
      child.kill(signal);
    } catch {
      // already gone
    }
  }
}

class ExitedDuringStartUp extends Error {}

async function waitUntilReady(
  address: string,
  namespace: string,
  uiUrl: string | undefined,
  deadline: number,
  exited: () => string | undefined,
): Promise<void> {
  const wanted = searchAttributeDefinitions.map((d) => d.name);
  let lastProblem = 'not started';
  const check = async (): Promise<boolean> => {
    const connection = await Connection.connect({
      address,
      connectTimeout: 2_000,
    });
    try {
      await connection.workflowService.describeNamespace({ namespace });
      const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
      const missing = wanted.filter((name) => !customAttributes || !(name in customAttributes));
      if (missing.length) {
        lastProblem = `search attributes not registered yet: ${missing.join(', ')}`;
        return false;
      }
    } finally {
      await connection.close();
    }
    if (uiUrl) {
      const res = await fetch(uiUrl, { signal: AbortSignal.timeout(2_000) });
      if (res.status !== 200) {
        lastProblem = `Web UI answered ${res.status}`;
        return false;
      }
    }
    return true;
  };
  for (;;) {
    const exitReason = exited();
    if (exitReason) throw new ExitedDuringStartUp(`the Temporal dev server exited during start-up (${exitReason})`);
    try {
      if (await check()) return;
    } catch (err) {
      lastProblem = (err as Error).message;
    }
    if (Date.now() > deadline)
      throw new Error(`the Temporal dev server at ${address} was not ready in time: ${lastProblem}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Start-up failures tolerated when this module picks the ports (see startDevServer). */
const PICKED_PORT_ATTEMPTS = 3;

/**
 * Starts the dev server and resolves once it serves gRPC, the namespace, the search attributes and the UI.
 * Ports left to it (0 or absent) are picked free just before the start; another process can still take
 * one in between (test suites start servers in parallel), so when the server exits during start-up on
 * picked ports, it is started again on new ones, up to PICKED_PORT_ATTEMPTS times.
 */
export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const ip = options.ip ?? '127.0.0.1';
  const picksPorts = !options.port || (options.uiPort !== false && !options.uiPort);
  for (let attempt = 1; ; attempt++) {
    const port = options.port || (await freePort(ip));
    let uiPort = options.uiPort === false ? false : options.uiPort || (await freePort(ip));
    while (uiPort === port && !options.uiPort) uiPort = await freePort(ip);
    try {
      return await startOnce(options, ip, port, uiPort);
    } catch (err) {
      if (!picksPorts || attempt >= PICKED_PORT_ATTEMPTS || !(err instanceof ExitedDuringStartUp)) throw err;
    }
  }
}

async function startOnce(
  options: DevServerOptions,
  ip: string,
  port: number,
  uiPort: number | false,
): Promise<DevServer> {
  const namespace = options.namespace ?? 'default';
  mkdirSync(dirname(options.dbFile), { recursive: true });
  const args = devServerArgs({
    dbFile: options.dbFile,
    ip,
    port,
    uiPort,
    namespace,
    logLevel: options.logLevel ?? 'warn',
    uiCodecEndpoint: options.uiCodecEndpoint,
  });
  const output = options.output ?? 'warnings';
  const child = spawn(
    '/bin/sh',
    ['-c', WATCHDOG, 'deskflow-dev-server', options.cliPath ?? temporalCliPath(), ...args],
    {
      detached: true, // its own process group, so stop() reaches anything it starts
      // stdin: the watchdog pipe, held open (never written) for as long as this process lives.
      stdio: ['pipe', output === 'inherit' ? 'inherit' : 'ignore', output === 'warnings' ? 'pipe' : output],
    },
  );
  child.stdin?.on('error', () => undefined);
  let stopping = false;
  child.stderr?.on('data', (chunk: Buffer) => {
    if (!stopping) process.stderr.write(chunk);
  });
  let exitReason: string | undefined;
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => {
      exitReason = signal ? `signal ${signal}` : `exit code ${code}`;
      resolve(exitReason);
    });
    child.once('error', (err) => {
      exitReason = err.message;
      resolve(exitReason);
    });
  });
  // Never outlive this process, even when it ends without calling stop().
  const killOnExit = () => signalGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    stopping = true;
    if (exitReason === undefined) {
      signalGroup(child, 'SIGTERM');
      const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), STOP_GRACE_MS);
      await exited;
      clearTimeout(timer);
    }
    process.removeListener('exit', killOnExit);
  };

  const host = ip.includes(':') ? `[${ip}]` : ip;
  const address = `${host}:${port}`;
  const uiUrl = uiPort === false ? undefined : `http://${host}:${uiPort}`;
  try {
    await waitUntilReady(address, namespace, uiUrl, Date.now() + (options.readyTimeoutMs ?? 60_000), () => exitReason);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, namespace, uiUrl, pid: child.pid ?? -1, exited, stop };
}
