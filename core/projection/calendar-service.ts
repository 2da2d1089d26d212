import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { isLocalDay, type LocalDay } from '../../shared/time.ts';
import {
  SHIPPED_CALENDAR,
  shippedCalendarYear,
  weekdayOf,
  type CalendarYear,
  type CalendarYearInfo,
  type WorkingCalendar,
} from '../../shared/calendar/working-days.ts';

/** The most dates one list may hold (a year has 366 days). */
const MAX_DATES = 366;

/**
 * The working-day calendar: the shipped years (shared/calendar/prc-calendar.json) and an administrator's
 * override of a year (`PUT /api/admin/calendar/:year`), kept in Redis (`<p>:calendar:<year>`), which replaces
 * the shipped year whole.
 */
export class CalendarService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys } = ctx);
  }

  /** The year as it is used: the override if one is stored, else the shipped year (weekend-only when none). */
  async get(year: number): Promise<CalendarYearInfo> {
    const raw = await this.redis.get(this.keys.calendar(year));
    if (raw === null) return shippedCalendarYear(year);
    const saved = JSON.parse(raw) as CalendarYear;
    return { year, status: 'override', holidays: saved.holidays, workdays: saved.workdays };
  }

  /** The calendar of `years` with their overrides, the other shipped years as shipped. */
  async calendarFor(years: readonly number[]): Promise<WorkingCalendar> {
    const raws = await Promise.all(years.map((y) => this.redis.get(this.keys.calendar(y))));
    const calendar: Record<number, CalendarYear> = { ...SHIPPED_CALENDAR };
    years.forEach((y, i) => {
      if (raws[i] != null) calendar[y] = JSON.parse(raws[i]) as CalendarYear;
    });
    return calendar;
  }

  /** Replaces the year's calendar; every bad date is named at once and nothing is saved then. */
  async replace(year: number, body: unknown): Promise<CalendarYearInfo> {
    const value = parseCalendarYear(year, body);
    await this.redis.set(this.keys.calendar(year), JSON.stringify(value));
    return { year, status: 'override', ...value };
  }
}

/** Validates `{ holidays, workdays }` of `year`: dates of that year, workdays on weekends, none in both lists. */
export function parseCalendarYear(year: number, body: unknown): CalendarYear {
  const b = body as { holidays?: unknown; workdays?: unknown } | null;
  if (
    typeof b !== 'object' ||
    b === null ||
    Array.isArray(b) ||
    Object.keys(b).some((k) => k !== 'holidays' && k !== 'workdays') ||
    !Array.isArray(b.holidays) ||
    !Array.isArray(b.workdays) ||
    b.holidays.length > MAX_DATES ||
    b.workdays.length > MAX_DATES
  ) {
    throw new AppError('validation_failed', msg('calendar.bad_body'));
  }
  const problems: Message[] = [];
  const dates = (list: 'holidays' | 'workdays', items: unknown[]): LocalDay[] => {
    const out: LocalDay[] = [];
    for (const item of items) {
      const value = typeof item === 'string' ? item : JSON.stringify(item);
      if (typeof item !== 'string' || !isLocalDay(item)) problems.push(msg('calendar.bad_date', { list, value }));
      else if (Number(item.slice(0, 4)) !== year) problems.push(msg('calendar.other_year', { list, value, year }));
      else if (list === 'workdays' && weekdayOf(item) !== 0 && weekdayOf(item) !== 6)
        problems.push(msg('calendar.workday_not_weekend', { value }));
      else out.push(item);
    }
    return [...new Set(out)].sort();
  };
  const holidays = dates('holidays', b.holidays);
  const workdays = dates('workdays', b.workdays);
  for (const day of workdays) if (holidays.includes(day)) problems.push(msg('calendar.both_lists', { value: day }));
  if (problems.length > 0) throw new AppError('validation_failed', msg('calendar.not_saved'), problems);
  return { holidays, workdays };
}
