/**
 * `npm start` as an operator runs it (src/main.ts through tsx, as the start script does), on free ports
 * and a temporary data folder: it comes up with a worker (healthz 200) and refuses unsigned webhooks;
 * a second start while it runs is refused naming the port's holder; SIGKILL of the main process leaves
 * no dev server behind and the next start works; a crash of the dev server is reported in one line
 * and stops the stack (exit 1); the CLI in the same environment talks to the same server.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../helpers/temporal';
import { issueCreated } from '../client/fixtures/webhooks';

const repo = fileURLToPath(new URL('../..', import.meta.url));
let dir: string;
let env: NodeJS.ProcessEnv;
const started: ChildProcess[] = [];

interface Run {
  child: ChildProcess;
  output: () => string;
  exited: Promise<number | null>;
}

function startDeskflow(): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let text = '';
  child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (text += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => text, exited };
}

async function until<T>(what: string, fn: () => T | Promise<T>, timeoutMs: number, run?: Run): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await fn();
    if (value) return value;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${run ? `; output:\n${run.output()}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Pids whose command line mentions this test's data folder (the dev server and its wrapper). */
function devServerPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(dir)) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

function cli(args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['bin/deskflow.js', ...args], { cwd: repo, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, out, err }));
  });
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-npm-start-'));
  env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DESKFLOW_TOOLS_DIR: process.env.DESKFLOW_TOOLS_DIR,
    XDG_CACHE_HOME: process.env.XDG_CACHE_HOME,
    TEMPORAL_CLI: process.env.TEMPORAL_CLI,
    DESKFLOW_DATA_DIR: dir,
    TEMPORAL_PORT: String(await freePort()),
    RELAY_PORT: String(await freePort()),
    SANDBOX_PORT: String(await freePort()),
    // Ports this test does not call: 0, so npm start binds free ones itself and no parallel suite can take them.
    UI_PORT: '0',
    CODEC_PORT: '0',
    BOARD_PORT: '0',
    // No temporal.toml of the machine's user may redirect this test.
    TEMPORAL_CONFIG_FILE: join(dir, 'no-such-temporal.toml'),
  };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
});

afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const pid of devServerPids()) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
}, 30_000);

test('npm start: up with a worker, forged webhooks refused, port clash named, SIGKILL leaves nothing, dev server crash stops it', async () => {
  const first = startDeskflow();
  await until('"deskflow is up"', () => first.output().includes('deskflow is up'), 150_000, first);
  const relay = `http://127.0.0.1:${env.RELAY_PORT}`;

  // A worker polls: healthz answers 200.
  await until('healthz 200', async () => (await fetch(`${relay}/healthz`)).status === 200, 30_000, first);

  // The relay has a secret although none was configured: an unsigned event is refused and starts nothing.
  const forged = await fetch(`${relay}/webhooks/jira`, { method: 'POST', body: JSON.stringify(issueCreated('SS-1')) });
  expect(forged.status).toBe(401);

  // The sandbox bounds what it reads too, its control API included: 413 before reading, 400 beyond the JSON bounds.
  const sandbox = `http://127.0.0.1:${env.SANDBOX_PORT}`;
  const big = await fetch(`${sandbox}/rest/api/2/issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: { summary: 'x'.repeat(2 * 1024 * 1024) } }),
  });
  expect(big.status).toBe(413);
  let deep: unknown = 1;
  for (let i = 0; i < 100; i++) deep = [deep];
  const tooDeep = await fetch(`${sandbox}/rest/api/2/issue`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ fields: deep }),
  });
  expect(tooDeep.status).toBe(400);

  // The CLI in the same environment (TEMPORAL_PORT) reaches the same server.
  const list = await cli(['list']);
  expect(list).toMatchObject({ code: 0, out: 'no tickets match\n' });
  const status = await cli(['status', 'ss-1']);
  expect(status.err).toBe('deskflow status: SS-1 is not tracked by deskflow\n');

  // `deskflow list | head` where the reader is already gone: a quiet exit 0, no EPIPE stack.
  const piped = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/deskflow.js', 'list'], { cwd: repo, env });
    child.stdout.destroy();
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, err }));
  });
  expect(piped).toEqual({ code: 0, err: '' });

  // A second start while the first runs: refused, naming the port and what holds it.
  const second = startDeskflow();
  expect(await second.exited).toBe(1);
  expect(second.output()).toMatch(
    new RegExp(`port ${env.TEMPORAL_PORT} for the Temporal dev server \\(TEMPORAL_PORT\\) is taken by pid \\d+`),
  );
  expect(second.output()).not.toMatch(/deskflow is up/);

  // SIGKILL of the main process: no exit hook runs, yet the dev server goes with it.
  expect(devServerPids().length).toBeGreaterThan(0);
  first.child.kill('SIGKILL');
  await first.exited;
  await until('no dev server left', () => devServerPids().length === 0, 20_000);

  // The next start works, on the same data folder.
  const third = startDeskflow();
  await until('"deskflow is up" again', () => third.output().includes('deskflow is up'), 150_000, third);

  // The dev server crashes: one clear line, the whole stack stops with exit code 1.
  // The server itself, not its watchdog wrapper (/bin/sh).
  const temporal = devServerPids().filter((pid) => !readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('/bin/sh'));
  expect(temporal).toHaveLength(1);
  for (const pid of temporal) process.kill(pid, 'SIGKILL');
  expect(await third.exited).toBe(1);
  expect(third.output()).toMatch(/deskflow: the Temporal dev server exited \(.*\); stopping deskflow/);
  await until('no dev server left after the crash', () => devServerPids().length === 0, 20_000);
}, 400_000);

test('with Temporal down, the CLI fails fast naming the address', async () => {
  const port = await freePort();
  const down = await new Promise<{ code: number | null; err: string }>((resolve) => {
    const child = spawn(process.execPath, ['bin/deskflow.js', 'list'], {
      cwd: repo,
      env: { ...env, TEMPORAL_PORT: String(port) },
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => resolve({ code, err }));
  });
  expect(down.code).toBe(1);
  expect(down.err).toContain(`cannot reach Temporal at 127.0.0.1:${port}`);
}, 60_000);

test('with a real Jira and no WEBHOOK_SECRET, neither npm start nor the relay starts, and the message names the variable', async () => {
  const realJira = { JIRA_HOST: 'https://example.atlassian.net', JIRA_EMAIL: 'bot@example.com', JIRA_API_TOKEN: 't' };
  for (const entry of ['src/main.ts', 'src/client/relay/main.ts']) {
    const result = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: repo, env: { ...env, ...realJira } });
      let text = '';
      child.stdout.on('data', (d: Buffer) => (text += d.toString()));
      child.stderr.on('data', (d: Buffer) => (text += d.toString()));
      child.once('exit', (code) => resolve({ code, text }));
    });
    expect(result.code).toBe(1);
    expect(result.text).toMatch(/WEBHOOK_SECRET is required with a real Jira \(JIRA_HOST is set\)/);
    expect(result.text).not.toMatch(/deskflow is up|listening/);
  }
  expect(devServerPids()).toEqual([]);
}, 60_000);
