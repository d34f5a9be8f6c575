/**
 * Runs `npm run bench|chaos -- --quick` with its JSON record written to a temporary folder (never into
 * bench/results) and hands back the exit code, the output and the record.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

export interface QuickRecord {
  kind: string;
  quick: boolean;
  rows: { id: string; value: unknown; met?: boolean }[];
  details: { lost?: string[]; cases?: { id: string; lost: number; duplicated: number; different: number }[] };
}

export async function runQuick(
  script: 'bench' | 'chaos',
): Promise<{ code: number | null; output: string; record: QuickRecord | undefined }> {
  const out = mkdtempSync(join(tmpdir(), `deskflow-${script}-results-`));
  try {
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn('npm', ['run', '-s', script, '--', '--quick', '--out', out], {
        cwd: repoRoot,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.once('exit', (exitCode) => resolve({ code: exitCode, output: text }));
    });
    const file = readdirSync(out).find((f) => f.endsWith(`-${script}-quick.json`));
    const record = file ? (JSON.parse(readFileSync(join(out, file), 'utf8')) as QuickRecord) : undefined;
    return { code, output, record };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
