/**
 * `npm run bench -- --quick` against the real stack, so the harness (bench/) keeps working: it must finish,
 * measure P1–P6, write its record (to a temporary folder) and leave no ticket without its first response.
 * Goals missed are the full run's business, not a test failure.
 */
import { runQuick } from './run-quick';

test('npm run bench -- --quick measures P1–P6 and loses no ticket', async () => {
  const { code, output, record } = await runQuick('bench');
  if (code !== 0 || !record) throw new Error(`npm run bench -- --quick exited ${code}:\n${output.slice(-4000)}`);
  expect(record.quick).toBe(true);
  expect(new Set(record.rows.map((row) => row.id))).toEqual(new Set(['P1', 'P2', 'P3', 'P4', 'P5', 'P6']));
  expect(record.details.lost).toEqual([]);
}, 240_000);
