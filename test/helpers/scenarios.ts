/**
 * Runs every scenario file of a folder as one jest test each, through the real scenario runner
 * (time-skipping server, worker, relay, sandbox, CLI).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario } from '../../src/scenario/format';
import { runScenario, type RunOptions, type ScenarioResult } from '../../src/scenario/runner';

export function scenarioFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => join(dir, f));
}

/** Parses and runs one scenario file through the real runner. */
export async function runScenarioFile(file: string, options: RunOptions = {}): Promise<ScenarioResult> {
  return runScenario(parseScenario(JSON.parse(readFileSync(file, 'utf8')), file), options);
}

/** `shard: [i, n]` runs every n-th file starting at the i-th (1-based), so a big folder can be split across jest workers. */
export function describeScenarios(title: string, dir: string, shard: [number, number] = [1, 1]): void {
  const [i, n] = shard;
  const files = scenarioFiles(dir).filter((_, k) => k % n === i - 1);
  describe(title, () => {
    test('the folder holds scenarios', () => expect(files.length).toBeGreaterThan(0));
    test.each(files)(
      '%s passes',
      async (file) => {
        const result = await runScenarioFile(file);
        expect(result.failures).toEqual([]);
        expect(result.passed).toBe(true);
      },
      180_000,
    );
  });
}
