/**
 * What bench and chaos runs print and keep: progress lines, percentiles, the closing table and the JSON
 * record bench/results/<date>-<short commit>-<bench|chaos>[-quick].json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { repoRoot } from './stack';

export const resultsDir = join(repoRoot, 'bench', 'results');

export function say(line: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
}

/** A progress line at most every `everyMs`, and always the last one. */
export function progress(label: string, total: number, everyMs = 2_000): (done: number, extra?: string) => void {
  let last = 0;
  return (done, extra) => {
    const now = Date.now();
    if (done < total && now - last < everyMs) return;
    last = now;
    say(`  ${label}: ${done}/${total}${extra ? ` ${extra}` : ''}`);
  };
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Runs `fn` over `items` with at most `concurrency` at a time. */
export async function pool<T>(
  items: readonly T[],
  concurrency: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const runners = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  });
  await Promise.all(runners);
}

/** One row of the closing table: a measure, deskflow's figure, the floor's, their ratio and the goal. */
export interface Row {
  id: string;
  measure: string;
  value: number | string;
  floor?: number | string;
  unit?: string;
  /** value / floor (or as the goal defines it). */
  ratio?: number;
  goal?: string;
  /** undefined: no goal. */
  met?: boolean;
  note?: string;
}

function fmt(v: number | string | undefined, unit = ''): string {
  if (v === undefined) return '';
  if (typeof v === 'string') return v;
  if (!Number.isFinite(v)) return 'n/a';
  const n = Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 10 ? v.toFixed(1) : v.toFixed(2);
  return `${n}${unit ? ` ${unit}` : ''}`;
}

export function table(rows: readonly Row[]): string {
  const head = ['', 'measure', 'deskflow', 'floor', 'ratio', 'goal', 'met'];
  const body = rows.map((r) => [
    r.id,
    r.measure,
    fmt(r.value, r.unit),
    fmt(r.floor, r.unit),
    r.ratio === undefined ? '' : `${fmt(r.ratio)}×`,
    r.goal ?? '',
    r.met === undefined ? '' : r.met ? 'yes' : 'NO',
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  return [line(head), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

function shortCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
  } catch {
    return 'nocommit';
  }
}

/** Writes the run's JSON record; returns its path. */
export function writeResults(
  kind: 'bench' | 'chaos',
  quick: boolean,
  outDir: string,
  data: { rows: Row[]; startedAt: Date; counts: Record<string, number>; details: Record<string, unknown> },
): string {
  const commit = shortCommit();
  const date = data.startedAt.toISOString().slice(0, 10);
  mkdirSync(outDir, { recursive: true });
  const file = join(outDir, `${date}-${commit}-${kind}${quick ? '-quick' : ''}.json`);
  const record = {
    kind,
    quick,
    commit,
    startedAt: data.startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadavg: loadavg(), node: process.version },
    counts: data.counts,
    rows: data.rows,
    details: data.details,
  };
  writeFileSync(file, `${JSON.stringify(record, null, 2)}\n`);
  return file;
}
