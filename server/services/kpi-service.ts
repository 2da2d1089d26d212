import type { Redis } from 'ioredis';
import type { KpisResponse, SeriesInterval, SeriesResponse } from '../../shared/api-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { KPI_BY_ID, computeKpis, type Fields, type KpiValue } from '../../shared/kpis.ts';
import type { RedisKeys } from '../../shared/redis-keys.ts';
import { addDays, daysInRange, isLocalDay, type LocalDay } from '../../shared/time.ts';

/** The longest period one request may cover, in days (about ten years). */
export const MAX_PERIOD_DAYS = 3_700;

type MutableFields = Record<string, number>;

function addInto(target: MutableFields, name: string, value: number): void {
  target[name] = (target[name] ?? 0) + value;
}

/** Validates a period of local days; `to` defaults to `from`. */
export function parsePeriod(from: unknown, to: unknown): { from: LocalDay; to: LocalDay } {
  if (typeof from !== 'string' || !isLocalDay(from)) {
    throw new AppError('validation_failed', '`from` must be a calendar day YYYY-MM-DD');
  }
  const end = to === undefined || to === '' ? from : to;
  if (typeof end !== 'string' || !isLocalDay(end)) {
    throw new AppError('validation_failed', '`to` must be a calendar day YYYY-MM-DD');
  }
  if (end < from) throw new AppError('validation_failed', '`to` is before `from`');
  if (daysInRange(from, end).length > MAX_PERIOD_DAYS) {
    throw new AppError('validation_failed', `a period may cover at most ${MAX_PERIOD_DAYS} days`);
  }
  return { from, to: end };
}

/** The first day of the bucket `day` falls in, for series. */
function bucketStart(day: LocalDay, interval: Exclude<SeriesInterval, 'hour'>): LocalDay {
  if (interval === 'day') return day;
  if (interval === 'month') return `${day.slice(0, 7)}-01`;
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay(); // ISO weeks start on Monday
  return addDays(day, -((weekday + 6) % 7));
}

/**
 * Computes KPIs from the pre-aggregated day buckets: one pipelined HGETALL per feed and day, never a
 * scan of raw records. Hour fields (`name@HH`) feed hourly series; day totals feed everything else.
 */
export class KpiService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly feeds: readonly FeedName[],
  ) {}

  /** Raw bucket hashes for every feed and day, in the order of `days`. */
  private async readBuckets(days: LocalDay[]): Promise<Map<FeedName, Record<string, string>[]>> {
    const pipeline = this.redis.pipeline();
    for (const feed of this.feeds) for (const day of days) pipeline.hgetall(this.keys.dayBucket(feed, day));
    const results = (await pipeline.exec()) ?? [];
    const out = new Map<FeedName, Record<string, string>[]>();
    this.feeds.forEach((feed, f) => {
      out.set(
        feed,
        days.map((_, d) => {
          const [err, value] = results[f * days.length + d]!;
          if (err) throw err;
          return value as Record<string, string>;
        }),
      );
    });
    return out;
  }

  async getKpis(from: LocalDay, to: LocalDay): Promise<KpisResponse> {
    const buckets = await this.readBuckets(daysInRange(from, to));
    const fieldsByFeed: Partial<Record<FeedName, Fields>> = {};
    for (const [feed, days] of buckets) {
      const sum: MutableFields = {};
      for (const bucket of days) {
        for (const name in bucket) if (!name.includes('@')) addInto(sum, name, Number(bucket[name]));
      }
      fieldsByFeed[feed] = sum;
    }
    return { period: { from, to }, kpis: computeKpis(fieldsByFeed) };
  }

  async getSeries(ids: string[], from: LocalDay, to: LocalDay, interval: SeriesInterval): Promise<SeriesResponse> {
    const unknown = ids.filter((id) => !KPI_BY_ID.has(id));
    if (ids.length === 0 || unknown.length > 0) {
      throw new AppError('validation_failed', `unknown KPI ids: ${unknown.join(', ') || '(none given)'}`);
    }
    const days = daysInRange(from, to);
    if (interval === 'hour' && days.length > 31) {
      throw new AppError('validation_failed', 'hourly series cover at most 31 days');
    }
    const buckets = await this.readBuckets(days);
    const labels: string[] = [];
    const fieldsPerBucket = new Map<string, Partial<Record<FeedName, MutableFields>>>();
    const bucketFields = (label: string, feed: FeedName): MutableFields => {
      let perFeed = fieldsPerBucket.get(label);
      if (!perFeed) {
        perFeed = {};
        fieldsPerBucket.set(label, perFeed);
        labels.push(label);
      }
      return (perFeed[feed] ??= {});
    };
    days.forEach((day, d) => {
      if (interval === 'hour') {
        for (let h = 0; h < 24; h++) for (const feed of this.feeds) bucketFields(`${day} ${h < 10 ? '0' : ''}${h}:00`, feed);
      }
      for (const feed of this.feeds) {
        const bucket = buckets.get(feed)![d]!;
        if (interval === 'hour') {
          for (const name in bucket) {
            const at = name.indexOf('@');
            if (at > 0) addInto(bucketFields(`${day} ${name.slice(at + 1)}:00`, feed), name.slice(0, at), Number(bucket[name]));
          }
        } else {
          const target = bucketFields(bucketStart(day, interval), feed);
          for (const name in bucket) if (!name.includes('@')) addInto(target, name, Number(bucket[name]));
        }
      }
    });
    const series: Record<string, KpiValue[]> = Object.fromEntries(ids.map((id) => [id, [] as KpiValue[]]));
    for (const label of labels) {
      const kpis = computeKpis(fieldsPerBucket.get(label)!);
      for (const id of ids) series[id]!.push(kpis[id] ?? { value: null });
    }
    return { period: { from, to }, interval, buckets: labels, series };
  }
}
