import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { Fields } from '../../shared/kpis.ts';
import { daysInRange, isLocalDay, localDayHour, type LocalDay } from '../../shared/time.ts';
import type { ProjectionResponse } from '../../shared/projection-types.ts';
import { readBuckets, type Bucket } from '../services/bucket-reader.ts';
import type { TargetsService } from '../services/targets-service.ts';
import type { CalendarService } from './calendar-service.ts';
import { projectKpis } from './project-kpis.ts';

/** Validates `year` (2000–2100) and `asOf` (a local day; absent or empty: today in TZ_REPORT). */
export function parseProjectionQuery(year: unknown, asOf: unknown, today: LocalDay): { year: number; asOf: LocalDay } {
  const y = Number(year);
  if (typeof year !== 'string' || !/^\d{4}$/.test(year) || y < 2000 || y > 2100)
    throw new AppError('validation_failed', msg('projection.bad_year'));
  if (asOf === undefined || asOf === '') return { year: y, asOf: today };
  if (typeof asOf !== 'string' || !isLocalDay(asOf))
    throw new AppError('validation_failed', msg('projection.bad_as_of', { value: String(asOf) }));
  return { year: y, asOf };
}

const toFields = (bucket: Bucket): Fields => Object.fromEntries(Object.entries(bucket).map(([k, v]) => [k, Number(v)]));

/**
 * 预计全年 (ANALYTICS.md, GET /api/kpis/projection): reads the year's day buckets up to asOf and the previous
 * year's (bucket-reader.ts, one pipeline), the year's targets and working-day calendar, and projects with the
 * pure core/projection/project-kpis.ts. Data after asOf is never read.
 */
export class ProjectionService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly ctx: CoreContext;
  private readonly feeds: readonly FeedName[];
  private readonly targets: TargetsService;
  private readonly calendar: CalendarService;

  constructor(ctx: CoreContext, feeds: readonly FeedName[], targets: TargetsService, calendar: CalendarService) {
    this.ctx = ctx;
    ({ redis: this.redis, keys: this.keys } = ctx);
    this.feeds = feeds;
    this.targets = targets;
    this.calendar = calendar;
  }

  /** Today in TZ_REPORT, the default asOf. */
  today(): LocalDay {
    return localDayHour(this.ctx.now(), this.ctx.tz).day;
  }

  async project(year: number, asOf: LocalDay): Promise<ProjectionResponse> {
    const yearEnd = `${year}-12-31`;
    const seenDays = asOf < `${year}-01-01` ? [] : daysInRange(`${year}-01-01`, asOf < yearEnd ? asOf : yearEnd);
    const previousDays = daysInRange(`${year - 1}-01-01`, `${year - 1}-12-31`);
    const [current, previous, targets, calendar] = await Promise.all([
      readBuckets(this.redis, this.keys, this.feeds, seenDays),
      readBuckets(this.redis, this.keys, this.feeds, previousDays),
      this.targets.get(year),
      this.calendar.calendarFor([year - 1, year]),
    ]);
    const feeds = Object.fromEntries(
      this.feeds.map((feed) => [feed, { current: current.get(feed)!.map(toFields), previous: previous.get(feed)!.map(toFields) }]),
    );
    const kpis = projectKpis({ year, asOf, feeds, calendar, settings: this.ctx.settings, targets });
    return { year, asOf, kpis };
  }
}
