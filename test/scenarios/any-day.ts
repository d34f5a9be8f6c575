/**
 * Issue 8: the suite passes on any day of the year. The business-day-sensitive scenarios run as if the
 * suite ran on other days: the Friday-to-Monday example on every simulated day, the others once per
 * distinct quiet reference (a story depends on the day only through it: src/scenario/reference-time.ts).
 * Split in two files (weekdays, holidays and DST) so the two jest workers share the load.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultConfig } from '../../src/config/defaults';
import { quietReference } from '../../src/scenario/reference-time';
import { simulatedDays, type SimulatedDay } from '../helpers/any-day';
import { runScenarioFile } from '../helpers/scenarios';

const file = (path: string) => fileURLToPath(new URL(path, import.meta.url));

/** The example the issue names: resolved on Friday, closed on Monday after one business day (S-15). */
const fridayToMonday = file('./examples/resolved-friday-closes-monday.json');
/** The other scenarios whose expectations count business days (S-13, S-16, R-04). */
const otherSensitive = [
  file('./examples/needs-input-two-attempts.json'),
  file('./closing/s13-follow-up-reminder.json'),
  file('./routes/r04-sales-lead-reminder.json'),
];

export function describeAnyDay(which: (day: SimulatedDay) => boolean): void {
  const days = simulatedDays(new Date(), defaultConfig.calendar).filter(which);
  const firstPerReference = new Map<number, SimulatedDay>();
  for (const day of days) {
    const reference = quietReference(day.at, defaultConfig.calendar).getTime();
    if (!firstPerReference.has(reference)) firstPerReference.set(reference, day);
  }
  const runs = [
    ...days.map((day) => [day.label, fridayToMonday, day.at] as const),
    ...[...firstPerReference.values()].flatMap((day) =>
      otherSensitive.map((path) => [day.label, path, day.at] as const),
    ),
  ];
  test('the simulated days are the ones asked for', () => expect(days.length).toBeGreaterThanOrEqual(7));
  test.each(runs.map(([label, path, at]) => [label, basename(path), path, at] as const))(
    'as if the suite ran on %s: %s passes',
    async (_label, _name, path, today) => {
      const result = await runScenarioFile(path, { today });
      expect(result.failures).toEqual([]);
    },
    180_000,
  );
}
