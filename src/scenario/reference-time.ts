/**
 * The instant a scenario (or a workflow test) treats as "now".
 *
 * Temporal's time-skipping server starts at the real time and can only move forward, so a story that
 * began "now" would meet whatever the coming weeks hold: a Monday holiday after "Friday", a DST change
 * inside a 26-hour wait. Instead every story starts from a quiet reference: the first Monday after
 * today, 09:00 in the support time zone, that begins `windowDays` days free of holidays and of UTC-offset
 * changes. Business-day arithmetic inside that window is the same whatever today is, so a scenario's
 * outcome does not depend on the day the suite runs (issue 8).
 */
import type { CalendarSettings } from '../config/schema';
import { addDays, dayOfWeek, fromLocal, holidayName, localDate, type LocalDate } from '../workflows/business-calendar';

export interface ReferenceOptions {
  /** Days from the reference Monday that must be free of holidays and offset changes. Default 21. */
  windowDays?: number;
  /** Local time of day of the reference. Default 09:00. */
  hour?: number;
}

const MAX_WEEKS = 104;

/** The quiet reference instant at or after `today` (see the module comment). */
export function quietReference(today: Date, calendar: CalendarSettings, options: ReferenceOptions = {}): Date {
  const windowDays = options.windowDays ?? 21;
  const hour = options.hour ?? 9;
  const at = (d: LocalDate, h: number) =>
    fromLocal({ ...d, hour: h, minute: 0, second: 0, millisecond: 0 }, calendar.timeZone);
  const start = localDate(today, calendar.timeZone);
  let monday = addDays(start, (1 - dayOfWeek(start) + 7) % 7 || 7);
  for (let week = 0; week < MAX_WEEKS; week += 1, monday = addDays(monday, 7)) {
    if (isQuiet(monday, windowDays, calendar, at)) return at(monday, hour);
  }
  throw new Error(`no ${windowDays}-day window without holidays and offset changes within ${MAX_WEEKS} weeks`);
}

function isQuiet(
  first: LocalDate,
  days: number,
  calendar: CalendarSettings,
  at: (d: LocalDate, h: number) => Date,
): boolean {
  const offset = (d: LocalDate) => at(d, 12).getTime() - Date.UTC(d.year, d.month - 1, d.day, 12);
  const firstOffset = offset(first);
  for (let i = 0; i <= days; i += 1) {
    const d = addDays(first, i);
    if (holidayName(d, calendar) !== undefined || offset(d) !== firstOffset) return false;
  }
  return true;
}
