/**
 * Loss of the Temporal connection is told once when it starts and once when it ends, however many
 * probes fail in between (issue 12).
 */
import { watchTemporal } from '../../src/local/temporal-watch';

test('an outage of several probes gives one "unreachable" line and one "reachable again" line', async () => {
  const answers = [true, false, false, false, false, true, true];
  const lines: string[] = [];
  let probes = 0;
  const done = new Promise<void>((resolve) => {
    const watch = watchTemporal({
      address: '127.0.0.1:7233',
      intervalMs: 5,
      probe: async () => {
        const ok = answers[probes++] ?? true;
        if (probes >= answers.length) {
          watch.stop();
          resolve();
        }
        if (!ok) throw new Error('connection refused');
      },
      report: (line) => lines.push(line),
    });
  });
  await done;
  await new Promise((r) => setTimeout(r, 20));
  expect(lines).toHaveLength(2);
  expect(lines[0]).toMatch(/^Temporal at 127\.0\.0\.1:7233 is unreachable \(connection refused\)/);
  expect(lines[1]).toMatch(/^Temporal at 127\.0\.0\.1:7233 is reachable again/);
});
