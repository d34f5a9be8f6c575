/**
 * The days of the year the any-day tests pretend the suite runs on (issue 8): each of the next seven
 * days (every weekday), and the days around the next Thanksgiving, Christmas and DST change in the
 * support time zone. All lie ahead of today, because the time-skipping server cannot go back.
 */
import type { CalendarSettings } from '../../src/config/schema';
import {
  addDays,
  formatDate,
  fromLocal,
  localDate,
  usFederalHolidays,
  type LocalDate,
} from '../../src/workflows/business-calendar';

export interface SimulatedDay {
  label: string;
  /** Noon of that day in the support time zone. */
  at: Date;
}

export function simulatedDays(today: Date, calendar: CalendarSettings): SimulatedDay[] {
  const tz = calendar.timeZone;
  const noon = (d: LocalDate) => fromLocal({ ...d, hour: 12, minute: 0, second: 0, millisecond: 0 }, tz);
  const start = localDate(today, tz);
  const days: SimulatedDay[] = [];
  const add = (label: string, d: LocalDate) => days.push({ label: `${label} ${formatDate(d)}`, at: noon(d) });
  for (let i = 0; i < 7; i += 1) {
    const d = addDays(start, i);
    add(
      new Intl.DateTimeFormat('en-US', { weekday: 'long', timeZone: 'UTC' }).format(
        Date.UTC(d.year, d.month - 1, d.day),
      ),
      d,
    );
  }
  const upcoming = (name: string) =>
    [start.year, start.year + 1]
      .flatMap((y) => usFederalHolidays(y))
      .find((h) => h.name.startsWith(name) && h.date > formatDate(addDays(start, 1)));
  for (const name of ['Thanksgiving', 'Christmas']) {
    const holiday = upcoming(name);
    if (!holiday) throw new Error(`no upcoming ${name}`);
    const [y, m, dd] = holiday.date.split('-').map(Number) as [number, number, number];
    const day = { year: y, month: m, day: dd };
    for (const k of [-1, 0, 1]) add(`${name}${k < 0 ? ' eve' : k > 0 ? ' +1' : ''}`, addDays(day, k));
  }
  const offset = (d: LocalDate) => noon(d).getTime() - Date.UTC(d.year, d.month - 1, d.day, 12);
  let d = addDays(start, 1);
  while (offset(d) === offset(start)) d = addDays(d, 1);
  for (const k of [-1, 0, 1]) add(`DST change${k < 0 ? ' eve' : k > 0 ? ' +1' : ''}`, addDays(d, k));
  return days;
}
