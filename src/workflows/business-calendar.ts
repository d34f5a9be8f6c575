/**
 * The business calendar behind every "after N business days" timer (S-13 follow-ups, S-15 close after
 * one business day, S-16 unanswered attempts, R-04 and R-22 reminders).
 *
 * Pure and deterministic, so workflow code may import it: no Node APIs, no wall clock. DST changes keep
 * the local time of day (the UTC offset shifts instead).
 *
 * The data comes from the activity side (src/activities/calendar.ts), recorded in history with the
 * settings: the holidays from a maintained library, the UTC offsets from Node's tz data, as a
 * CalendarTable; here it is arithmetic on that table. Runs recorded before the table existed (and instants
 * outside it) use the rules below it: the hand-written holiday rules and `Intl.DateTimeFormat`, kept so
 * their replay never changes (README, "Changing workflow code").
 */
import type { CalendarSettings } from '../config/schema';

/** Holidays and UTC offsets for a span of years, computed by an activity (see src/activities/calendar.ts). */
export interface CalendarTable {
  /** First and last local date covered (YYYY-MM-DD). */
  from: string;
  to: string;
  /** Observed holidays (YYYY-MM-DD) of the calendar's `holidays` set within the span. */
  holidays: string[];
  /** The UTC offset in minutes from each instant (epoch ms) on, sorted; the first entry starts the span. */
  offsets: { since: number; minutes: number }[];
  /** The offsets are known up to this instant (epoch ms). */
  offsetsUntil: number;
}

/** The calendar settings as the workflows have them: with the recorded table, when there is one. */
export type WorkflowCalendar = CalendarSettings & { table?: CalendarTable };

/** A calendar date in the support time zone. `month` is 1..12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** A local wall-clock date and time in some time zone. */
export interface LocalDateTime extends LocalDate {
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

export interface Holiday {
  /** YYYY-MM-DD of the day off (the observed date when the holiday falls on a weekend). */
  date: string;
  name: string;
}

export const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------------
// Plain calendar arithmetic (time-zone free; a LocalDate is handled as a UTC midnight internally)

function dateUtcMs(d: LocalDate): number {
  return Date.UTC(d.year, d.month - 1, d.day);
}

function fromUtcMs(ms: number): LocalDate {
  const t = new Date(ms);
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

/** The date `n` calendar days after `d` (n may be negative). */
export function addDays(d: LocalDate, n: number): LocalDate {
  return fromUtcMs(dateUtcMs(d) + n * DAY_MS);
}

/** 0 = Sunday .. 6 = Saturday. */
export function dayOfWeek(d: LocalDate): number {
  return new Date(dateUtcMs(d)).getUTCDay();
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** YYYY-MM-DD. */
export function formatDate(d: LocalDate): string {
  return `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;
}

/** Parses YYYY-MM-DD; throws on anything else (including impossible dates such as 2027-02-30). */
export function parseDate(s: string): LocalDate {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`not a YYYY-MM-DD date: ${JSON.stringify(s)}`);
  const d = { year: Number(m[1]), month: Number(m[2]), day: Number(m[3]) };
  if (formatDate(fromUtcMs(dateUtcMs(d))) !== s) throw new Error(`not a calendar date: ${s}`);
  return d;
}

// ---------------------------------------------------------------------------------------------------
// US federal holidays

/** The `nth` (1-based) given weekday of a month. */
function nthWeekday(year: number, month: number, weekday: number, nth: number): LocalDate {
  const first = { year, month, day: 1 };
  const offset = (weekday - dayOfWeek(first) + 7) % 7;
  return addDays(first, offset + (nth - 1) * 7);
}

/** The last given weekday of a month. */
function lastWeekday(year: number, month: number, weekday: number): LocalDate {
  const last = addDays({ year: month === 12 ? year + 1 : year, month: month === 12 ? 1 : month + 1, day: 1 }, -1);
  return addDays(last, -((dayOfWeek(last) - weekday + 7) % 7));
}

/** Fixed-date holidays are observed on the Friday before a Saturday and the Monday after a Sunday. */
function observed(d: LocalDate): LocalDate {
  const dow = dayOfWeek(d);
  if (dow === 6) return addDays(d, -1);
  if (dow === 0) return addDays(d, 1);
  return d;
}

const holidayCache = new Map<number, Holiday[]>();

/**
 * The US federal holidays (5 U.S.C. 6103) whose observed day off falls in `year`, sorted by date.
 * New Year's Day of `year + 1` is included when it is observed on Friday, December 31 of `year`.
 */
export function usFederalHolidays(year: number): Holiday[] {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const list: Array<[string, LocalDate]> = [];
  const fixed = (name: string, y: number, month: number, day: number) =>
    list.push([name, observed({ year: y, month, day })]);
  fixed("New Year's Day", year, 1, 1);
  fixed("New Year's Day", year + 1, 1, 1);
  if (year >= 1986) list.push(['Martin Luther King Jr. Day', nthWeekday(year, 1, 1, 3)]);
  list.push(["Washington's Birthday (Presidents' Day)", nthWeekday(year, 2, 1, 3)]);
  list.push(['Memorial Day', lastWeekday(year, 5, 1)]);
  if (year >= 2021) fixed('Juneteenth National Independence Day', year, 6, 19);
  fixed('Independence Day', year, 7, 4);
  list.push(['Labor Day', nthWeekday(year, 9, 1, 1)]);
  list.push(['Columbus Day', nthWeekday(year, 10, 1, 2)]);
  fixed('Veterans Day', year, 11, 11);
  list.push(['Thanksgiving Day', nthWeekday(year, 11, 4, 4)]);
  fixed('Christmas Day', year, 12, 25);
  const result = list
    .filter(([, d]) => d.year === year)
    .map(([name, d]) => ({ date: formatDate(d), name }))
    .sort((a, b) => a.date.localeCompare(b.date));
  holidayCache.set(year, result);
  return result;
}

/** The holiday's name when `d` is a configured non-working day (weekends aside), else undefined. */
export function holidayName(d: LocalDate, cal: WorkflowCalendar): string | undefined {
  const iso = formatDate(d);
  if (cal.extraHolidays.includes(iso)) return 'extra holiday';
  const table = cal.table;
  if (table && iso >= table.from && iso <= table.to) {
    return table.holidays.includes(iso) ? 'holiday' : undefined;
  }
  if (cal.holidays === 'us-federal') {
    // Dec 31 can be the observed New Year's Day of the next year, which usFederalHolidays(year) includes.
    return usFederalHolidays(d.year).find((h) => h.date === iso)?.name;
  }
  return undefined;
}

/** Monday to Friday and not a holiday of the calendar. */
export function isBusinessDate(d: LocalDate, cal: WorkflowCalendar): boolean {
  const dow = dayOfWeek(d);
  return dow !== 0 && dow !== 6 && holidayName(d, cal) === undefined;
}

// ---------------------------------------------------------------------------------------------------
// Time zones

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
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
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The table's UTC offset (ms) at an instant, or undefined outside it. */
function tableOffset(ms: number, table: CalendarTable | undefined): number | undefined {
  const first = table?.offsets[0];
  if (!table || !first || ms < first.since || ms >= table.offsetsUntil) return undefined;
  let minutes = first.minutes;
  for (const o of table.offsets) {
    if (o.since > ms) break;
    minutes = o.minutes;
  }
  return minutes * 60_000;
}

/** The local wall-clock date and time of an instant in `timeZone` (from the table when it covers it). */
export function toLocal(instant: Date, timeZone: string, table?: CalendarTable): LocalDateTime {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new Error('invalid date');
  const offset = tableOffset(ms, table);
  if (offset !== undefined) {
    const w = new Date(ms + offset);
    return {
      year: w.getUTCFullYear(),
      month: w.getUTCMonth() + 1,
      day: w.getUTCDate(),
      hour: w.getUTCHours(),
      minute: w.getUTCMinutes(),
      second: w.getUTCSeconds(),
      millisecond: w.getUTCMilliseconds(),
    };
  }
  const parts: Record<string, number> = {};
  for (const p of formatterFor(timeZone).formatToParts(instant)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 0,
    day: parts.day ?? 0,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    millisecond: ((ms % 1000) + 1000) % 1000,
  };
}

/** The local calendar date of an instant in `timeZone`. */
export function localDate(instant: Date, timeZone: string, table?: CalendarTable): LocalDate {
  const { year, month, day } = toLocal(instant, timeZone, table);
  return { year, month, day };
}

function wallMs(l: LocalDateTime): number {
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
}

/** The zone's UTC offset (local minus UTC, in ms) at an instant. */
function offsetAt(ms: number, timeZone: string, table?: CalendarTable): number {
  return tableOffset(ms, table) ?? wallMs(toLocal(new Date(ms), timeZone)) - ms;
}

/**
 * The instant at which the wall clock in `timeZone` shows `l`. A time skipped by a spring-forward change
 * (02:30 on the night clocks jump from 02:00 to 03:00) is moved forward by the gap (03:30); a time that
 * occurs twice at a fall-back change resolves to the first occurrence.
 */
export function fromLocal(l: LocalDateTime, timeZone: string, table?: CalendarTable): Date {
  const wall = wallMs(l);
  // The offset a few hours either side of the wall time brackets any transition near it.
  const before = offsetAt(wall - 12 * 3_600_000, timeZone, table);
  const after = offsetAt(wall + 12 * 3_600_000, timeZone, table);
  const candidates = [wall - before, wall - after].filter(
    (t) => wallMs(toLocal(new Date(t), timeZone, table)) === wall,
  );
  if (candidates.length > 0) return new Date(Math.min(...candidates));
  // Skipped wall time: interpret it with the offset in force before the change, which lands after the gap.
  return new Date(wall - before);
}

// ---------------------------------------------------------------------------------------------------
// Business days

/** True when the local date of `date` in the calendar's time zone is a business day. */
export function isBusinessDay(date: Date, cal: WorkflowCalendar): boolean {
  return isBusinessDate(localDate(date, cal.timeZone, cal.table), cal);
}

/** The first business date strictly after `d`. */
export function nextBusinessDate(d: LocalDate, cal: WorkflowCalendar): LocalDate {
  let next = addDays(d, 1);
  // A year holds at most ~115 non-working days; the bound only guards against a calendar that has none left.
  for (let i = 0; i < 3660 && !isBusinessDate(next, cal); i++) next = addDays(next, 1);
  if (!isBusinessDate(next, cal)) throw new Error('the business calendar has no business day within ten years');
  return next;
}

/**
 * The deadline "after `n` business days without an answer" (S-13, S-15, S-16).
 *
 * - When `from` falls on a business day (local date in `cal.timeZone`), the deadline is the same local
 *   time of day on the `n`th following business day: Friday 14:00 + 1 → Monday 14:00; with Monday a
 *   holiday → Tuesday 14:00. The wall-clock time is kept across DST changes, so the UTC offset shifts.
 * - When `from` falls on a weekend or holiday, the clock starts at the beginning (00:00) of the next
 *   business day, and the deadline is the end of the `n`th business day counted from there, i.e. the
 *   midnight that closes it: Saturday 10:00 + 1 → Tuesday 00:00 (all of Monday was available to answer).
 * - `n = 0` returns `from` unchanged. `n` must be a non-negative integer.
 */
export function addBusinessDays(from: Date, n: number, cal: WorkflowCalendar): Date {
  if (!Number.isInteger(n) || n < 0) throw new Error(`business days must be a non-negative integer, got ${n}`);
  if (n === 0) return new Date(from.getTime());
  const local = toLocal(from, cal.timeZone, cal.table);
  if (isBusinessDate(local, cal)) {
    let d: LocalDate = local;
    for (let i = 0; i < n; i++) d = nextBusinessDate(d, cal);
    return fromLocal({ ...local, ...d }, cal.timeZone, cal.table);
  }
  // Start of the next business day counts as business day 1's beginning; its end is the next midnight.
  let d = nextBusinessDate(local, cal);
  for (let i = 1; i < n; i++) d = nextBusinessDate(d, cal);
  return fromLocal({ ...addDays(d, 1), hour: 0, minute: 0, second: 0, millisecond: 0 }, cal.timeZone, cal.table);
}

/** Milliseconds from `now` until `deadline`, never negative (what a workflow `sleep` or `condition` needs). */
export function msUntil(deadline: Date, now: Date): number {
  return Math.max(0, deadline.getTime() - now.getTime());
}

/** A short local rendering for people, e.g. "2027-11-29 14:00 (America/Los_Angeles)". */
export function formatLocal(instant: Date, timeZone: string): string {
  const l = toLocal(instant, timeZone);
  return `${formatDate(l)} ${pad(l.hour)}:${pad(l.minute)} (${timeZone})`;
}

function parseTime(time: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(time.trim());
  const hour = Number(m?.[1]);
  const minute = Number(m?.[2]);
  if (!m || hour > 23 || minute > 59) throw new Error(`not a HH:MM time: ${JSON.stringify(time)}`);
  return { hour, minute };
}

/** A weekday by name, case-insensitive, full or three-letter ("Friday", "fri"). */
export function parseWeekday(name: string): number {
  const n = name.trim().toLowerCase();
  const i = WEEKDAYS.findIndex((w) => w.toLowerCase() === n || w.slice(0, 3).toLowerCase() === n);
  if (i < 0) throw new Error(`not a weekday: ${JSON.stringify(name)}`);
  return i;
}

export type LocalTimeAnchor = string | { weekday: string } | { date: string };

/**
 * The next instant at which the wall clock in `timeZone` shows `time` ("HH:MM") on the given weekday
 * ("Friday") or date ("2027-11-24"), at or after `now`. For a weekday that is today and not yet past,
 * today's time is returned; a date is returned as is, even when it lies before `now` (there is no "next"
 * occurrence of a date, and the caller may want to detect that).
 */
export function nextLocalTime(when: LocalTimeAnchor, time: string, timeZone: string, now: Date): Date {
  const { hour, minute } = parseTime(time);
  const at = (d: LocalDate) => fromLocal({ ...d, hour, minute, second: 0, millisecond: 0 }, timeZone);
  const spec =
    typeof when === 'string' ? (/^\d{4}-\d{2}-\d{2}$/.test(when) ? { date: when } : { weekday: when }) : when;
  if ('date' in spec) return at(parseDate(spec.date));
  const weekday = parseWeekday(spec.weekday);
  const today = localDate(now, timeZone);
  let d = addDays(today, (weekday - dayOfWeek(today) + 7) % 7);
  if (at(d).getTime() < now.getTime()) d = addDays(d, 7);
  return at(d);
}
