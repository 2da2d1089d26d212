import type { Rng } from './random.ts';

/**
 * The simulator's calendar: the days of a year in Changsha (Asia/Shanghai, UTC+8 all year, no DST),
 * working days after the State Council's holiday schedule (调休 make-up days count as working days),
 * and times written the way the feeds accept them.
 *
 * Times are handled as *wall milliseconds*: `Date.UTC(...)` of the local wall clock. They are only ever
 * formatted, never treated as instants, so the +08:00 offset is added when written.
 */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

export type DayKind = 'workday' | 'weekend' | 'holiday';

export interface CalendarDay {
  /** 0 for 1 January. */
  index: number;
  /** `YYYY-MM-DD`. */
  date: string;
  /** 1–12. */
  month: number;
  /** 0 = Sunday … 6 = Saturday. */
  weekday: number;
  kind: DayKind;
  /** Part of the Spring Festival or National Day week (the long closures). */
  festival: boolean;
  /** Wall milliseconds of local midnight. */
  startMs: number;
}

interface HolidaySchedule {
  /** Public holidays, `MM-DD` ranges, both ends included; the first two are Spring Festival and National Day. */
  holidays: readonly (readonly [string, string])[];
  /** Weekend days that are working days (调休). */
  makeUpDays: readonly string[];
}

/** 国务院办公厅 holiday schedules; other years fall back to an approximation (see `scheduleOf`). */
const SCHEDULES: Readonly<Record<number, HolidaySchedule>> = {
  2021: {
    holidays: [
      ['02-11', '02-17'],
      ['10-01', '10-07'],
      ['01-01', '01-03'],
      ['04-03', '04-05'],
      ['05-01', '05-05'],
      ['06-12', '06-14'],
      ['09-19', '09-21'],
    ],
    makeUpDays: ['02-07', '02-20', '04-25', '05-08', '09-18', '09-26', '10-09'],
  },
  2022: {
    holidays: [
      ['01-31', '02-06'],
      ['10-01', '10-07'],
      ['01-01', '01-03'],
      ['04-03', '04-05'],
      ['04-30', '05-04'],
      ['06-03', '06-05'],
      ['09-10', '09-12'],
    ],
    makeUpDays: ['01-29', '01-30', '04-02', '04-24', '05-07', '10-08', '10-09'],
  },
  2023: {
    holidays: [
      ['01-21', '01-27'],
      ['09-29', '10-06'],
      ['01-01', '01-02'],
      ['04-05', '04-05'],
      ['04-29', '05-03'],
      ['06-22', '06-24'],
    ],
    makeUpDays: ['01-28', '01-29', '04-23', '05-06', '06-25', '10-07', '10-08'],
  },
  2024: {
    holidays: [
      ['02-10', '02-17'],
      ['10-01', '10-07'],
      ['01-01', '01-01'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['06-10', '06-10'],
      ['09-15', '09-17'],
    ],
    makeUpDays: ['02-04', '02-18', '04-07', '04-28', '05-11', '09-14', '09-29', '10-12'],
  },
  2025: {
    holidays: [
      ['01-28', '02-04'],
      ['10-01', '10-08'],
      ['01-01', '01-01'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['05-31', '06-02'],
    ],
    makeUpDays: ['01-26', '02-08', '04-27', '09-28', '10-11'],
  },
  2026: {
    holidays: [
      ['02-15', '02-23'],
      ['10-01', '10-07'],
      ['01-01', '01-03'],
      ['04-04', '04-06'],
      ['05-01', '05-05'],
      ['06-19', '06-21'],
      ['09-25', '09-27'],
    ],
    makeUpDays: ['01-04', '02-14', '02-28', '05-09', '09-20', '10-10'],
  },
};

/** Years without a table: New Year, a Spring Festival week in early February, Labour Day, National Day. */
function scheduleOf(year: number): HolidaySchedule {
  return (
    SCHEDULES[year] ?? {
      holidays: [
        ['02-01', '02-07'],
        ['10-01', '10-07'],
        ['01-01', '01-01'],
        ['05-01', '05-03'],
      ],
      makeUpDays: [],
    }
  );
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Wall milliseconds of a local date and time. */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** Every day of `year`, in order. */
export function yearCalendar(year: number): CalendarDay[] {
  const schedule = scheduleOf(year);
  const inRanges = (md: string, ranges: readonly (readonly [string, string])[]) => ranges.some(([a, b]) => md >= a && md <= b);
  const days: CalendarDay[] = [];
  for (let t = wallMs(year, 1, 1), index = 0; new Date(t).getUTCFullYear() === year; t += DAY_MS, index++) {
    const d = new Date(t);
    const md = `${pad2(d.getUTCMonth() + 1)}-${pad2(d.getUTCDate())}`;
    const weekday = d.getUTCDay();
    const isHoliday = inRanges(md, schedule.holidays);
    const isWeekend = weekday === 0 || weekday === 6;
    const kind: DayKind = isHoliday ? 'holiday' : isWeekend && !schedule.makeUpDays.includes(md) ? 'weekend' : 'workday';
    days.push({
      index,
      date: `${year}-${md}`,
      month: d.getUTCMonth() + 1,
      weekday,
      kind,
      festival: inRanges(md, schedule.holidays.slice(0, 2)),
      startMs: t,
    });
  }
  return days;
}

/** Wall milliseconds of the last second of `year` (31 December 23:59:59). */
export function yearEndMs(year: number): number {
  return wallMs(year + 1, 1, 1) - SECOND_MS;
}

/** 1–12: the month of a wall time. */
export function monthOf(ms: number): number {
  return new Date(ms).getUTCMonth() + 1;
}

/** `YYYY-MM-DD` of a wall time. */
export function dateOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * An ISO 8601 time as the feeds accept it: `2022-03-04T09:15:00+08:00`, or without the offset
 * (`2022-03-04T09:15:00`, local time in the report's zone) when `withOffset` is false.
 */
export function formatTime(ms: number, withOffset: boolean): string {
  const text = new Date(ms).toISOString().slice(0, 19);
  return withOffset ? `${text}+08:00` : text;
}

/**
 * A time of day in seconds from midnight within [fromMinute, toMinute), its hour drawn with the
 * weights of `hourWeights` (24 numbers) and the rest uniformly.
 */
export function drawSecondOfDay(rng: Rng, hourWeights: readonly number[], fromMinute: number, toMinute: number): number {
  const weights = hourWeights.map((w, h) => {
    const overlap = Math.min(toMinute, (h + 1) * 60) - Math.max(fromMinute, h * 60);
    return overlap > 0 ? (w * overlap) / 60 : 0;
  });
  const hour = rng.weightedIndex(weights);
  const lo = Math.max(fromMinute, hour * 60) * 60;
  const hi = Math.min(toMinute, (hour + 1) * 60) * 60;
  return lo + Math.floor(rng.next() * (hi - lo));
}

/** Changsha keeps UTC+8 all year (no DST): wall milliseconds are epoch milliseconds plus 8 hours. */
export const UTC_OFFSET_MS = 8 * HOUR_MS;

/** Wall milliseconds (local clock in Changsha) of an instant. */
export function toWallMs(epochMs: number): number {
  return epochMs + UTC_OFFSET_MS;
}

/** The instant (epoch milliseconds) of a wall time. */
export function toEpochMs(wall: number): number {
  return wall - UTC_OFFSET_MS;
}

const calendars = new Map<number, CalendarDay[]>();

/** The calendar day (date, kind, month, midnight) a wall time falls on. */
export function calendarDayOf(wall: number): CalendarDay {
  const year = new Date(wall).getUTCFullYear();
  let days = calendars.get(year);
  if (!days) calendars.set(year, (days = yearCalendar(year)));
  return days[Math.floor((wall - wallMs(year, 1, 1)) / DAY_MS)]!;
}

const weightSums = new WeakMap<(day: CalendarDay) => number, Map<number, number>>();

/** The sum over `year`'s days of `weight(day)` (cached per year and weight function). */
export function yearWeightSum(year: number, weight: (day: CalendarDay) => number): number {
  let byYear = weightSums.get(weight);
  if (!byYear) weightSums.set(weight, (byYear = new Map()));
  let sum = byYear.get(year);
  if (sum === undefined) {
    sum = 0;
    for (const day of yearCalendar(year)) sum += weight(day);
    byYear.set(year, sum);
  }
  return sum;
}
