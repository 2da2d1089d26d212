import shipped from './prc-calendar.json' with { type: 'json' };
import { addDays, type LocalDay } from '../time.ts';

/**
 * The working-day calendar (工作日历): weekends, public holidays (放假) and 调休 working weekends (上班).
 * The data is shared/calendar/prc-calendar.json (2022–2026 official, 2027 provisional; its `about` says where
 * it comes from); an administrator overrides a year (PUT /api/admin/calendar/:year, core/projection/calendar-service.ts).
 * Pure functions over a calendar value, for the projection (core/projection/) and the client alike.
 */

/** One year's exceptions to "Monday–Friday work": holidays (any weekday) and working weekends, local days. */
export interface CalendarYear {
  holidays: readonly LocalDay[];
  workdays: readonly LocalDay[];
}

/** `official` (the State Council notice), `provisional` (shipped before the notice), `override` (entered by an administrator), `weekend_only` (nothing known). */
export type CalendarStatus = 'official' | 'provisional' | 'override' | 'weekend_only';

/** A year of the calendar as served by GET /api/admin/calendar/:year. */
export interface CalendarYearInfo extends CalendarYear {
  year: number;
  status: CalendarStatus;
  /** Where the shipped year comes from (the notice), absent for an override or a weekend-only year. */
  notice?: string;
}

/** Year → its exceptions; a year not in it is weekend-only. */
export type WorkingCalendar = Readonly<Record<number, CalendarYear>>;

interface ShippedYear extends CalendarYear {
  status: 'official' | 'provisional';
  notice: string;
}

const SHIPPED_YEARS = (shipped as { years: Record<string, ShippedYear> }).years;

/** The years shipped in prc-calendar.json, ascending. */
export const SHIPPED_CALENDAR_YEARS: readonly number[] = Object.keys(SHIPPED_YEARS).map(Number).sort();

/** A shipped year as served (weekend-only when not shipped). */
export function shippedCalendarYear(year: number): CalendarYearInfo {
  const y = SHIPPED_YEARS[String(year)];
  if (!y) return { year, status: 'weekend_only', holidays: [], workdays: [] };
  return { year, status: y.status, notice: y.notice, holidays: y.holidays, workdays: y.workdays };
}

/** The calendar as shipped, without overrides. */
export const SHIPPED_CALENDAR: WorkingCalendar = Object.fromEntries(SHIPPED_CALENDAR_YEARS.map((y) => [y, SHIPPED_YEARS[String(y)]!]));

/** Set views of a calendar, built once per calendar value. */
const indexes = new WeakMap<WorkingCalendar, Map<number, { holidays: Set<LocalDay>; workdays: Set<LocalDay> }>>();

function yearIndex(calendar: WorkingCalendar, year: number) {
  let byYear = indexes.get(calendar);
  if (!byYear) indexes.set(calendar, (byYear = new Map()));
  let index = byYear.get(year);
  if (!index) {
    const y = calendar[year];
    byYear.set(year, (index = { holidays: new Set(y?.holidays), workdays: new Set(y?.workdays) }));
  }
  return index;
}

/** 0 = Sunday … 6 = Saturday, of a local day. */
export function weekdayOf(day: LocalDay): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

/** True when `day` is a working day: not a holiday, and Monday–Friday or a 调休 working weekend. */
export function isWorkingDay(day: LocalDay, calendar: WorkingCalendar = SHIPPED_CALENDAR): boolean {
  const index = yearIndex(calendar, Number(day.slice(0, 4)));
  if (index.holidays.has(day)) return false;
  if (index.workdays.has(day)) return true;
  const weekday = weekdayOf(day);
  return weekday !== 0 && weekday !== 6;
}

/** Working days from `from` to `to`, both included (0 when `to` is before `from`). */
export function workingDaysBetween(from: LocalDay, to: LocalDay, calendar: WorkingCalendar = SHIPPED_CALENDAR): number {
  let n = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) if (isWorkingDay(day, calendar)) n++;
  return n;
}
