/**
 * `npm run chaos -- --quick` against the real stack, so the harness (bench/) keeps working: every case
 * R1–R7 and R9/R10 runs and its audit finds nothing lost, duplicated or ending differently from an
 * undisturbed run.
 */
import { runQuick } from './run-quick';

test('npm run chaos -- --quick: R1–R7 and R9/R10 lose and duplicate nothing', async () => {
  const { code, output, record } = await runQuick('chaos');
  if (!record) throw new Error(`npm run chaos -- --quick wrote no record (exit ${code}):\n${output.slice(-4000)}`);
  const bad = (record.details.cases ?? []).filter((c) => c.lost || c.duplicated || c.different);
  expect(bad).toEqual([]);
  if (code !== 0) throw new Error(`npm run chaos -- --quick exited ${code}:\n${output.slice(-4000)}`);
  expect(record.rows.map((row) => row.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R9/R10']);
}, 300_000);
