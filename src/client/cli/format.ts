/** Human output helpers: instants in the support time zone, e.g. "2026-11-25 09:00 PST". */
export { formatInstant } from '../../shared/instants';

/** Left-aligned columns separated by two spaces. */
export function columns(rows: string[][]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}
