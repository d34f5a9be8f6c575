#!/usr/bin/env node
/**
 * How fast the `deskflow` CLI answers, next to a bare `node -e 0` start measured in the same run (so a
 * busy machine slows both alike and the ratio stays meaningful).
 *
 *   npm run bench:cli [-- --runs N] [-- --out DIR]
 *
 * Measures `deskflow help` and `deskflow status SS-1` (connect, query, describe: a full round trip)
 * against a Temporal dev server it starts on a free port from the tool folder's CLI (see
 * scripts/setup.mjs); the runs are interleaved. Targets: help ≤ 0.3 s, status ≤ 0.6 s (median).
 * The figures are kept in bench/results/<date>-<commit>-cli.json, beside `npm run bench`'s.
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCli } from './build-cli.mjs';

const repoRoot = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 10;
const outArg = process.argv.indexOf('--out');
const OUT_DIR = outArg > 0 ? path.resolve(process.argv[outArg + 1]) : path.join(repoRoot, 'bench', 'results');
const TARGETS = { 'deskflow help': 300, 'deskflow status SS-1': 600 };

function shortCommit() {
  const git = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' });
  return git.status === 0 ? git.stdout.trim() : 'unknown';
}

/** The run's record, in the shape of `npm run bench`'s (bench/lib/report.ts). */
function writeResults(startedAt, rows, samples) {
  const date = startedAt.toISOString().slice(0, 10);
  const commit = shortCommit();
  fs.mkdirSync(OUT_DIR, { recursive: true });
  const file = path.join(OUT_DIR, `${date}-${commit}-cli.json`);
  const record = {
    kind: 'cli',
    quick: false,
    commit,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg: os.loadavg(), node: process.version },
    counts: { runs: RUNS },
    rows,
    details: { samplesMs: samples },
  };
  fs.writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}

function temporalCli() {
  if (process.env.TEMPORAL_CLI) return process.env.TEMPORAL_CLI;
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (dir && fs.existsSync(path.join(dir, 'temporal'))) return path.join(dir, 'temporal');
  }
  const tools =
    process.env.DESKFLOW_TOOLS_DIR ||
    path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'deskflow');
  const inTools = path.join(tools, 'bin', 'temporal');
  return fs.existsSync(inTools) ? inTools : undefined;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port) {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

/** Wall-clock milliseconds of one run of `node args…`. */
function time(args, env) {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, args, { cwd: repoRoot, env: { ...process.env, ...env }, stdio: 'ignore' });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const startedAt = new Date();
  const { built } = await buildCli();
  if (built) process.stdout.write('bench: compiled the CLI first\n');

  let server;
  const cases = [
    { name: 'node -e 0', args: ['-e', '0'] },
    { name: 'deskflow help', args: ['bin/deskflow.js', 'help'] },
  ];
  const cli = temporalCli();
  if (cli) {
    const port = await freePort();
    server = spawn(cli, ['server', 'start-dev', '--headless', '--port', String(port), '--log-level', 'error'], {
      stdio: 'ignore',
    });
    const started = Date.now();
    while (!(await canConnect(port))) {
      if (Date.now() - started > 30_000) throw new Error('the Temporal dev server did not start within 30 s');
      await new Promise((r) => setTimeout(r, 100));
    }
    cases.push({
      name: 'deskflow status SS-1',
      args: ['bin/deskflow.js', 'status', 'SS-1'],
      env: {
        TEMPORAL_ADDRESS: `127.0.0.1:${port}`,
        TEMPORAL_NAMESPACE: 'default',
        // A key of its own: the CLI seals payloads like every deskflow process.
        DESKFLOW_CODEC_KEYS: `bench:${randomBytes(32).toString('base64')}`,
      },
    });
    // The server's first answer warms its namespace cache; the answer shows the command reaches it.
    const probe = spawnSync(process.execPath, cases[2].args, {
      cwd: repoRoot,
      env: { ...process.env, ...cases[2].env },
      encoding: 'utf8',
    });
    if (!/not tracked by deskflow/.test(probe.stderr))
      throw new Error(`deskflow status did not reach Temporal: ${probe.stderr}`);
  } else {
    process.stdout.write('bench: no Temporal CLI found (run `npm run setup`); measuring help only\n');
  }

  try {
    const samples = cases.map(() => []);
    for (let i = 0; i < RUNS; i++) cases.forEach((c, j) => samples[j].push(time(c.args, c.env)));
    const base = median(samples[0]);
    process.stdout.write(`bench: ${RUNS} interleaved runs each, median wall-clock time\n`);
    let over = 0;
    const rows = [];
    const samplesMs = {};
    cases.forEach((c, j) => {
      const ms = median(samples[j]);
      const target = TARGETS[c.name];
      samplesMs[c.name] = samples[j].map((x) => Math.round(x));
      if (j > 0) {
        rows.push({
          id: 'CLI',
          measure: `${c.name}, median of ${RUNS}`,
          value: `${ms.toFixed(0)} ms`,
          floor: `${base.toFixed(0)} ms (node -e 0)`,
          ratio: ms / base,
          ...(target === undefined ? {} : { goal: `≤ ${target} ms`, met: ms <= target }),
        });
      }
      const verdict = target === undefined ? '' : ms <= target ? `  ok (≤ ${target} ms)` : `  OVER ${target} ms`;
      if (target !== undefined && ms > target) over++;
      process.stdout.write(
        `  ${c.name.padEnd(22)} ${ms.toFixed(0).padStart(5)} ms  ${(ms / base).toFixed(1).padStart(5)}× node${verdict}\n`,
      );
    });
    if (over) process.stdout.write('bench: over target (a busy machine slows every line; compare the ratios)\n');
    process.stdout.write(
      `bench: load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}\n`,
    );
    process.stdout.write(`results: ${path.relative(process.cwd(), writeResults(startedAt, rows, samplesMs))}\n`);
  } finally {
    server?.kill('SIGTERM');
  }
}

main().catch((err) => {
  process.stderr.write(`bench: ${err?.stack ?? err}\n`);
  process.exit(1);
});
