/**
 * The calendar data the workflows need, computed on the activity side and recorded in history with the
 * settings (loadWorkflowSettings): the observed US federal holidays from a maintained library
 * (@18f/us-federal-holidays, the OPM rules) and the support time zone's UTC offsets from Node's ICU data.
 * A rule change, a library update or new tz data then changes the calendar of new tickets only, never the
 * replay of a running one; the workflow calendar (src/workflows/business-calendar.ts) is arithmetic on it.
 */
import federalHolidays from '@18f/us-federal-holidays';
import type { CalendarSettings } from '../config/schema';
import { formatDate, type CalendarTable } from '../workflows/business-calendar';

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

/** How far the recorded table reaches: a ticket seldom lives a year; CAN runs reload it (issue 10). */
export const TABLE_YEARS_BACK = 1;
export const TABLE_YEARS_AHEAD = 6;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's UTC offset in minutes at an instant, from Node's ICU data. */
export function utcOffsetMinutes(ms: number, timeZone: string): number {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const p: Record<string, number> = {};
  for (const part of f.formatToParts(new Date(ms))) if (part.type !== 'literal') p[part.type] = Number(part.value);
  const wall = Date.UTC(p.year ?? 0, (p.month ?? 1) - 1, p.day ?? 1, (p.hour ?? 0) % 24, p.minute ?? 0);
  return Math.round((wall - Math.floor(ms / MINUTE_MS) * MINUTE_MS) / MINUTE_MS);
}

/** Offset changes between two instants: the offset at `from`, then one entry per transition (to the minute). */
export function offsetTransitions(fromMs: number, toMs: number, timeZone: string): CalendarTable['offsets'] {
  const out: CalendarTable['offsets'] = [{ since: fromMs, minutes: utcOffsetMinutes(fromMs, timeZone) }];
  for (let t = fromMs; t < toMs; t += DAY_MS) {
    const next = Math.min(t + DAY_MS, toMs);
    const before = utcOffsetMinutes(t, timeZone);
    if (utcOffsetMinutes(next, timeZone) === before) continue;
    let lo = t;
    let hi = next; // offset(lo) = before, offset(hi) != before
    while (hi - lo > MINUTE_MS) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS || lo + MINUTE_MS;
      if (utcOffsetMinutes(mid, timeZone) === before) lo = mid;
      else hi = mid;
    }
    out.push({ since: hi, minutes: utcOffsetMinutes(hi, timeZone) });
  }
  return out;
}

/** Observed US federal holidays (YYYY-MM-DD) from `fromYear` to `toYear`, both included, sorted. */
export function federalHolidayDates(fromYear: number, toYear: number): string[] {
  const dates = new Set<string>();
  for (let y = fromYear - 1; y <= toYear + 1; y++) {
    for (const h of federalHolidays.allForYear(y, { shiftSaturdayHolidays: true, shiftSundayHolidays: true })) {
      // The library's dates are UTC midnights of the observed day.
      const d = h.date;
      const iso = formatDate({ year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
      if (Number(iso.slice(0, 4)) >= fromYear && Number(iso.slice(0, 4)) <= toYear) dates.add(iso);
    }
  }
  return [...dates].sort();
}

/** The table for `cal` around `now`: holidays and UTC offsets from a year back to some years ahead. */
export function calendarTable(cal: CalendarSettings, now: Date): CalendarTable {
  const year = now.getUTCFullYear();
  const from = { year: year - TABLE_YEARS_BACK, month: 1, day: 1 };
  const to = { year: year + TABLE_YEARS_AHEAD, month: 12, day: 31 };
  // A day's margin either side, so every instant of a covered local date has its offset.
  const fromMs = Date.UTC(from.year, 0, 1) - DAY_MS;
  const toMs = Date.UTC(to.year, 11, 31) + 2 * DAY_MS;
  return {
    from: formatDate(from),
    to: formatDate(to),
    holidays: cal.holidays === 'us-federal' ? federalHolidayDates(from.year, to.year) : [],
    offsets: offsetTransitions(fromMs, toMs, cal.timeZone),
    offsetsUntil: toMs,
  };
}
