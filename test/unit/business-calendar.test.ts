/**
 * The business calendar behind S-13, S-15 and S-16: "N business days" in the support time zone,
 * skipping weekends, US federal holidays (with observed dates) and configured extra holidays.
 */
import type { CalendarSettings } from '../../src/config/schema';
import { calendarTable, federalHolidayDates } from '../../src/activities/calendar';
import {
  addBusinessDays,
  addDays,
  formatDate,
  isBusinessDate,
  type WorkflowCalendar,
  formatLocal,
  fromLocal,
  isBusinessDay,
  msUntil,
  nextLocalTime,
  toLocal,
  usFederalHolidays,
} from '../../src/workflows/business-calendar';

const LA = 'America/Los_Angeles';
const federal: CalendarSettings = { timeZone: LA, holidays: 'us-federal', extraHolidays: [] };
const noHolidays: CalendarSettings = { timeZone: LA, holidays: 'none', extraHolidays: [] };

/** An instant given as Los Angeles wall-clock time "YYYY-MM-DD HH:MM". */
function la(s: string, tz = LA): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})$/.exec(s);
  if (!m) throw new Error(`bad test time ${s}`);
  const [year, month, day, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  return fromLocal({ year, month, day, hour, minute, second: 0, millisecond: 0 }, tz);
}

/** Renders an instant back as "YYYY-MM-DD HH:MM" local time. */
function local(d: Date, tz = LA): string {
  return formatLocal(d, tz).replace(` (${tz})`, '');
}

describe('US federal holidays', () => {
  test('2027 lists the eleven holidays with Saturday ones observed on Friday, incl. New Year 2028 on Dec 31', () => {
    expect(usFederalHolidays(2027).map((h) => h.date)).toEqual([
      '2027-01-01',
      '2027-01-18', // MLK: third Monday of January
      '2027-02-15', // Presidents' Day: third Monday of February
      '2027-05-31', // Memorial Day: last Monday of May
      '2027-06-18', // Juneteenth (Saturday June 19) observed Friday
      '2027-07-05', // Independence Day (Sunday July 4) observed Monday
      '2027-09-06', // Labor Day: first Monday of September
      '2027-10-11', // Columbus Day: second Monday of October
      '2027-11-11',
      '2027-11-25', // Thanksgiving: fourth Thursday of November
      '2027-12-24', // Christmas (Saturday) observed Friday
      '2027-12-31', // New Year's Day 2028 (Saturday) observed Friday of the year before
    ]);
  });

  test('2028 does not list its own New Year (observed in 2027); Sunday Christmas 2033 is observed Monday', () => {
    const y2028 = usFederalHolidays(2028).map((h) => h.date);
    expect(y2028).not.toContain('2028-01-01');
    expect(y2028).toHaveLength(10);
    expect(usFederalHolidays(2033).map((h) => h.date)).toContain('2033-12-26');
  });

  test('Juneteenth exists only from 2021', () => {
    expect(usFederalHolidays(2020).some((h) => h.name.startsWith('Juneteenth'))).toBe(false);
    expect(usFederalHolidays(2026).find((h) => h.name.startsWith('Juneteenth'))?.date).toBe('2026-06-19');
  });
});

describe('isBusinessDay', () => {
  test('weekdays are business days, weekends are not', () => {
    expect(isBusinessDay(la('2027-11-19 12:00'), federal)).toBe(true); // Friday
    expect(isBusinessDay(la('2027-11-20 12:00'), federal)).toBe(false); // Saturday
    expect(isBusinessDay(la('2027-11-21 12:00'), federal)).toBe(false); // Sunday
  });

  test('the local date in the support time zone decides, not the UTC date', () => {
    // Friday 20:00 in Los Angeles is already Saturday in UTC.
    const fridayEvening = la('2027-11-19 20:00');
    expect(fridayEvening.getUTCDay()).toBe(6);
    expect(isBusinessDay(fridayEvening, federal)).toBe(true);
  });

  test('holidays and observed holidays are not business days; with holidays "none" they are', () => {
    expect(isBusinessDay(la('2027-11-25 09:00'), federal)).toBe(false); // Thanksgiving
    expect(isBusinessDay(la('2027-07-05 09:00'), federal)).toBe(false); // observed Independence Day
    expect(isBusinessDay(la('2027-07-05 09:00'), noHolidays)).toBe(true);
  });

  test('extraHolidays apply with either holiday set', () => {
    const extra = ['2027-11-26'];
    expect(isBusinessDay(la('2027-11-26 09:00'), federal)).toBe(true);
    expect(isBusinessDay(la('2027-11-26 09:00'), { ...federal, extraHolidays: extra })).toBe(false);
    expect(isBusinessDay(la('2027-11-26 09:00'), { ...noHolidays, extraHolidays: extra })).toBe(false);
  });
});

describe('addBusinessDays', () => {
  test('Monday 10:00 + 1 is Tuesday 10:00; + 0 is unchanged', () => {
    expect(local(addBusinessDays(la('2027-11-15 10:00'), 1, federal))).toBe('2027-11-16 10:00');
    expect(addBusinessDays(la('2027-11-15 10:00'), 0, federal).getTime()).toBe(la('2027-11-15 10:00').getTime());
  });

  test('Friday 14:00 + 1 skips the weekend to Monday 14:00', () => {
    expect(local(addBusinessDays(la('2027-11-19 14:00'), 1, federal))).toBe('2027-11-22 14:00');
  });

  test('Friday before a Monday holiday + 1 is Tuesday (Labor Day 2027)', () => {
    expect(local(addBusinessDays(la('2027-09-03 14:00'), 1, federal))).toBe('2027-09-07 14:00');
    expect(local(addBusinessDays(la('2027-09-03 14:00'), 1, noHolidays))).toBe('2027-09-06 14:00');
  });

  test('an observed holiday counts: Thursday before the observed Independence Day Monday + 1 is Friday, + 2 Tuesday', () => {
    expect(local(addBusinessDays(la('2027-07-01 09:00'), 1, federal))).toBe('2027-07-02 09:00');
    expect(local(addBusinessDays(la('2027-07-01 09:00'), 2, federal))).toBe('2027-07-06 09:00');
  });

  test('Wednesday before Thanksgiving + 1 is Friday; with the Friday an extra holiday it is Monday', () => {
    expect(local(addBusinessDays(la('2027-11-24 16:00'), 1, federal))).toBe('2027-11-26 16:00');
    const withFriday = { ...federal, extraHolidays: ['2027-11-26'] };
    expect(local(addBusinessDays(la('2027-11-24 16:00'), 1, withFriday))).toBe('2027-11-29 16:00');
  });

  test('multi-day spans: Monday + 2 is Wednesday, Thursday + 2 is Monday', () => {
    expect(local(addBusinessDays(la('2027-11-15 09:30'), 2, federal))).toBe('2027-11-17 09:30');
    expect(local(addBusinessDays(la('2027-11-18 09:30'), 2, federal))).toBe('2027-11-22 09:30');
  });

  test('from a weekend the clock starts Monday 00:00 and the deadline is the midnight ending the Nth business day', () => {
    expect(local(addBusinessDays(la('2027-11-20 10:00'), 1, federal))).toBe('2027-11-23 00:00'); // Saturday
    expect(local(addBusinessDays(la('2027-11-21 23:00'), 2, federal))).toBe('2027-11-24 00:00'); // Sunday
  });

  test('from a holiday the clock starts on the next business day (Thanksgiving + 1 ends with Friday)', () => {
    expect(local(addBusinessDays(la('2027-11-25 11:00'), 1, federal))).toBe('2027-11-27 00:00');
  });

  test('spring forward: Friday 14:00 PST + 1 is Monday 14:00 PDT, 71 hours later (one hour fewer)', () => {
    const from = la('2027-03-12 14:00');
    const to = addBusinessDays(from, 1, federal);
    expect(local(to)).toBe('2027-03-15 14:00');
    expect(to.getTime() - from.getTime()).toBe(71 * 3_600_000);
    expect(from.toISOString()).toBe('2027-03-12T22:00:00.000Z');
    expect(to.toISOString()).toBe('2027-03-15T21:00:00.000Z');
  });

  test('fall back: Friday 14:00 PDT + 1 is Monday 14:00 PST, 73 hours later (one hour more)', () => {
    const from = la('2027-11-05 14:00');
    const to = addBusinessDays(from, 1, federal);
    expect(local(to)).toBe('2027-11-08 14:00');
    expect(to.getTime() - from.getTime()).toBe(73 * 3_600_000);
  });

  test('year end: Dec 30 + 1 skips the observed New Year (Dec 31 2027) and the weekend to Monday Jan 3', () => {
    expect(local(addBusinessDays(la('2027-12-30 15:00'), 1, federal))).toBe('2028-01-03 15:00');
  });

  test('year end: Friday Dec 31 2026 + 1 skips New Year and the weekend to Monday Jan 4', () => {
    expect(local(addBusinessDays(la('2026-12-31 15:00'), 1, federal))).toBe('2027-01-04 15:00');
  });

  test('year end with holidays "none": Thursday Dec 31 2026 + 1 is Friday Jan 1', () => {
    expect(local(addBusinessDays(la('2026-12-31 15:00'), 1, noHolidays))).toBe('2027-01-01 15:00');
  });

  test('Dec 31 + 1 is Jan 2 when Jan 1 is a holiday on a weekday (2031: Wednesday → Friday)', () => {
    expect(local(addBusinessDays(la('2031-12-31 10:00'), 1, federal))).toBe('2032-01-02 10:00');
  });

  test('late evening keeps its local time even when the UTC date differs', () => {
    expect(local(addBusinessDays(la('2027-11-19 23:30'), 1, federal))).toBe('2027-11-22 23:30');
  });

  test('another time zone: Friday 17:00 in New York + 1 is Monday 17:00 there', () => {
    const ny: CalendarSettings = { timeZone: 'America/New_York', holidays: 'us-federal', extraHolidays: [] };
    const from = la('2027-11-19 17:00', 'America/New_York');
    expect(local(addBusinessDays(from, 1, ny), 'America/New_York')).toBe('2027-11-22 17:00');
  });

  test('rejects negative or fractional counts', () => {
    expect(() => addBusinessDays(la('2027-11-15 10:00'), -1, federal)).toThrow(/non-negative integer/);
    expect(() => addBusinessDays(la('2027-11-15 10:00'), 1.5, federal)).toThrow(/non-negative integer/);
  });
});

describe('local time conversion', () => {
  test('a wall time skipped by spring forward moves forward by the gap', () => {
    expect(local(la('2027-03-14 02:30'))).toBe('2027-03-14 03:30');
  });

  test('a wall time repeated by fall back resolves to the first (daylight) occurrence', () => {
    const t = la('2027-11-07 01:30');
    expect(t.toISOString()).toBe('2027-11-07T08:30:00.000Z');
    expect(toLocal(t, LA)).toMatchObject({ hour: 1, minute: 30 });
  });
});

describe('nextLocalTime and msUntil', () => {
  const wednesdayNoon = la('2027-11-17 12:00');

  test('the next Friday 16:00 after a Wednesday is two days later', () => {
    expect(local(nextLocalTime({ weekday: 'Friday' }, '16:00', LA, wednesdayNoon))).toBe('2027-11-19 16:00');
    expect(local(nextLocalTime('fri', '16:00', LA, wednesdayNoon))).toBe('2027-11-19 16:00');
  });

  test('the same weekday: later today if the time is still ahead, else a week later', () => {
    expect(local(nextLocalTime({ weekday: 'Wednesday' }, '16:00', LA, wednesdayNoon))).toBe('2027-11-17 16:00');
    expect(local(nextLocalTime({ weekday: 'Wednesday' }, '09:00', LA, wednesdayNoon))).toBe('2027-11-24 09:00');
  });

  test('a date is returned at that local time', () => {
    const t = nextLocalTime({ date: '2027-11-24' }, '16:00', LA, wednesdayNoon);
    expect(t.toISOString()).toBe('2027-11-25T00:00:00.000Z');
    expect(local(nextLocalTime('2027-11-24', '16:00', LA, wednesdayNoon))).toBe('2027-11-24 16:00');
  });

  test('bad input is refused', () => {
    expect(() => nextLocalTime({ weekday: 'Funday' }, '16:00', LA, wednesdayNoon)).toThrow(/weekday/);
    expect(() => nextLocalTime({ weekday: 'Friday' }, '25:00', LA, wednesdayNoon)).toThrow(/HH:MM/);
    expect(() => nextLocalTime({ date: '2027-02-30' }, '10:00', LA, wednesdayNoon)).toThrow(/calendar date/);
  });

  test('msUntil is the remaining time and never negative', () => {
    expect(msUntil(la('2027-11-17 13:00'), wednesdayNoon)).toBe(3_600_000);
    expect(msUntil(la('2027-11-17 11:00'), wednesdayNoon)).toBe(0);
  });
});

describe('the recorded calendar table (holidays from @18f/us-federal-holidays, offsets from tz data)', () => {
  const table = calendarTable(federal, new Date('2027-06-01T00:00:00Z'));
  const withTable: WorkflowCalendar = { ...federal, table };

  test('spans a year back to six years ahead, with two DST changes a year in Los Angeles', () => {
    expect([table.from, table.to]).toEqual(['2026-01-01', '2033-12-31']);
    expect(table.offsets[0]!.minutes).toBe(-480);
    expect(table.offsets.length).toBe(1 + 2 * 8);
    expect(new Set(table.offsets.map((o) => o.minutes))).toEqual(new Set([-480, -420]));
  });

  test("the library's holidays are the OPM rules the hand-written calendar follows, day by day for eight years", () => {
    expect(federalHolidayDates(2027, 2027)).toEqual(usFederalHolidays(2027).map((h) => h.date));
    const differences: string[] = [];
    for (let d = { year: 2026, month: 1, day: 1 }; d.year < 2034; d = addDays(d, 1)) {
      if (isBusinessDate(d, withTable) !== isBusinessDate(d, federal)) differences.push(formatDate(d));
    }
    expect(differences).toEqual([]);
  });

  test('local times from the table equal the tz data, hour by hour through a year with both DST changes', () => {
    const mismatches: string[] = [];
    for (let ms = Date.UTC(2028, 0, 1); ms < Date.UTC(2029, 0, 1); ms += 3_600_000 + 7 * 60_000) {
      const at = new Date(ms);
      const a = toLocal(at, LA, table);
      if (JSON.stringify(a) !== JSON.stringify(toLocal(at, LA))) mismatches.push(at.toISOString());
      if (fromLocal(a, LA, table).getTime() !== fromLocal(a, LA).getTime()) mismatches.push(`back ${at.toISOString()}`);
    }
    expect(mismatches).toEqual([]);
  });

  test('with a table the workflow calendar is arithmetic only: it never asks the tz rules (an unknown zone name works)', () => {
    const offline: WorkflowCalendar = { ...withTable, timeZone: 'Nowhere/Recorded' };
    expect(() => toLocal(new Date(), 'Nowhere/Recorded')).toThrow();
    const fridayBeforeThanksgivingWeek = la('2027-11-19 14:00');
    // Mon, Tue, Wed; Thursday is Thanksgiving; Friday the 26th is a business day.
    expect(addBusinessDays(fridayBeforeThanksgivingWeek, 4, offline).getTime()).toBe(la('2027-11-26 14:00').getTime());
    // Across the spring-forward change (14 March 2027): same local time, one hour less in UTC.
    expect(addBusinessDays(la('2027-03-12 10:00'), 1, offline).getTime()).toBe(la('2027-03-15 10:00').getTime());
  });

  test('without holidays the table lists none', () => {
    expect(calendarTable(noHolidays, new Date('2027-06-01T00:00:00Z')).holidays).toEqual([]);
  });
});
