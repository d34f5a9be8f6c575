/**
 * `deskflow classify-text --jsonl FILE`: one JSON line per input ticket with exactly
 * {id, route, requestType, confidence, reasons}; no Temporal server involved.
 */
import type { Client } from '@temporalio/client';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runCli } from '../../src/client/cli/main';
import { closedPort } from './helpers';
import { defaultConfig } from '../../src/config/defaults';

const tickets = [
  {
    id: 'T1',
    summary: 'How do I add a second roof plane?',
    description: 'Where in the designer can I add another roof plane for the garage?',
    reporter: 'mike@sunpeaksolar.com',
  },
  {
    id: 'T2',
    summary: 'Interested in Sighten for our sales team',
    description: 'We are an installer looking at proposal software. Can we get pricing and a demo?',
    reporter: 'ceo@lonestarsun.com',
  },
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'deskflow-classify-text-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function writeJsonl(name: string, lines: string[]): string {
  const file = join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

const noServer = new Proxy(
  {},
  {
    get() {
      throw new Error('classify-text must not use Temporal');
    },
  },
) as Client;

async function cli(argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(argv, {
    client: noServer,
    config: defaultConfig,
    env: {},
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
  });
  return { code, out, err };
}

function expectResultLine(line: string, id: string): void {
  const result = JSON.parse(line) as Record<string, unknown>;
  expect(Object.keys(result).sort()).toEqual(['confidence', 'id', 'reasons', 'requestType', 'route']);
  expect(result.id).toBe(id);
  const route = result.route as string;
  expect(Object.keys(defaultConfig.routes)).toContain(route);
  expect(result.requestType).toBe(defaultConfig.routes[route]?.requestType);
  expect(result.confidence).toEqual(expect.any(Number));
  expect(result.confidence as number).toBeGreaterThanOrEqual(0);
  expect(result.confidence as number).toBeLessThanOrEqual(1);
  expect(Array.isArray(result.reasons)).toBe(true);
  for (const reason of result.reasons as unknown[]) expect(typeof reason).toBe('string');
}

test('prints one JSON result line per input line, in order', async () => {
  const file = writeJsonl(
    'two.jsonl',
    tickets.map((t) => JSON.stringify(t)),
  );
  const run = await cli(['classify-text', '--jsonl', file]);
  expect(run.code).toBe(0);
  expect(run.err).toEqual([]);
  expect(run.out).toHaveLength(2);
  expectResultLine(run.out[0] ?? '', 'T1');
  expectResultLine(run.out[1] ?? '', 'T2');
  expect(JSON.parse(run.out[1] ?? '{}')).toMatchObject({ route: 'sales.lead', requestType: 'Sales Inquiry' });
});

test('a bad line is reported with its line number, exit 1', async () => {
  const file = writeJsonl('bad.jsonl', [JSON.stringify(tickets[0]), '{"id": "T2", "summary": ']);
  const run = await cli(['classify-text', '--jsonl', file]);
  expect(run.code).toBe(1);
  expect(run.err.join('\n')).toMatch(/\b2\b/);
});

test('--jsonl is required (exit 2)', async () => {
  const run = await cli(['classify-text']);
  expect(run.code).toBe(2);
  expect(run.err[0]).toMatch(/missing --jsonl FILE/);
});

test('npx deskflow runs it through bin/deskflow.js with no server', async () => {
  const file = writeJsonl('one.jsonl', [JSON.stringify(tickets[0])]);
  const bin = fileURLToPath(new URL('../../bin/deskflow.js', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [bin, 'classify-text', '--jsonl', file], {
    // Nothing listens there: any connection attempt would fail the command.
    env: { ...process.env, TEMPORAL_ADDRESS: `127.0.0.1:${await closedPort()}`, DESKFLOW_CONFIG: '' },
    timeout: 60_000,
  });
  const lines = stdout.trim().split('\n');
  expect(lines).toHaveLength(1);
  expectResultLine(lines[0] ?? '', 'T1');
});
