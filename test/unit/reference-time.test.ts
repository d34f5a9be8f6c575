/**
 * The quiet reference every scenario starts from (issue 8): for any day of the year it is a Monday
 * 09:00 in the support time zone, after that day, followed by three weeks without a holiday or a
 * change of UTC offset — checked here day by day over two years, against the holiday list itself.
 */
import { defaultConfig } from '../../src/config/defaults';
import type { CalendarSettings } from '../../src/config/schema';
import { quietReference } from '../../src/scenario/reference-time';
import { addDays, formatDate, localDate, toLocal, usFederalHolidays } from '../../src/workflows/business-calendar';

const DAY = 86_400_000;
const cal = defaultConfig.calendar;

function offsetMinutes(at: Date, tz: string): number {
  const l = toLocal(at, tz);
  return (Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute) - at.getTime()) / 60_000;
}

function check(today: Date, calendar: CalendarSettings): Date {
  const ref = quietReference(today, calendar);
  const local = toLocal(ref, calendar.timeZone);
  expect(new Date(Date.UTC(local.year, local.month - 1, local.day)).getUTCDay()).toBe(1);
  expect([local.hour, local.minute]).toEqual([9, 0]);
  expect(ref.getTime()).toBeGreaterThan(today.getTime());
  const first = localDate(ref, calendar.timeZone);
  const offset = offsetMinutes(ref, calendar.timeZone);
  for (let i = 0; i <= 21; i += 1) {
    const day = addDays(first, i);
    const iso = formatDate(day);
    if (calendar.holidays === 'us-federal') {
      expect(usFederalHolidays(day.year).map((h) => h.date)).not.toContain(iso);
    }
    expect(calendar.extraHolidays).not.toContain(iso);
    expect(offsetMinutes(new Date(ref.getTime() + i * DAY), calendar.timeZone)).toBe(offset);
  }
  return ref;
}

test('from every day of 2027 and 2028 the reference is a quiet Monday 09:00 within four months', () => {
  const start = Date.UTC(2027, 0, 1, 20);
  for (let i = 0; i < 731; i += 1) {
    const today = new Date(start + i * DAY);
    const ref = check(today, cal);
    expect(ref.getTime() - today.getTime()).toBeLessThan(120 * DAY);
  }
});

test('the reference follows the configured calendar: extra holidays and another time zone', () => {
  const today = new Date(Date.UTC(2030, 3, 1, 12)); // Monday 2030-04-01
  const plain = check(today, cal);
  expect(formatDate(localDate(plain, cal.timeZone))).toBe('2030-04-08');
  const company = { ...cal, extraHolidays: ['2030-04-19'] };
  expect(formatDate(localDate(check(today, company), cal.timeZone))).toBe('2030-04-22');
  const berlin = { ...cal, timeZone: 'Europe/Berlin' }; // CEST from 2030-03-31: no change in April
  expect(toLocal(check(today, berlin), 'Europe/Berlin').hour).toBe(9);
});

test('a day already on a quiet Monday moves to the next Monday, never to today', () => {
  const monday = new Date(Date.UTC(2030, 3, 8, 15)); // Monday 2030-04-08 08:00 in Los Angeles
  expect(formatDate(localDate(check(monday, cal), cal.timeZone))).toBe('2030-04-15');
});
