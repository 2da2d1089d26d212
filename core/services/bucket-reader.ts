import type { Redis } from 'ioredis';
import { decodeDimValue } from '../../shared/feeds/dimensions.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { addDays, daysInRange, type LocalDay } from '../../shared/time.ts';

export type Bucket = Record<string, string>;
export type MutableFields = Record<string, number>;

export function addInto(target: MutableFields, name: string, value: number): void {
  target[name] = (target[name] ?? 0) + value;
}

/** Which hash of a day: its totals, its hours (`<field>@HH`), its breakdowns (`<field>|<dim>=<value>`) or drill-down paths. */
export type BucketKind = 'total' | 'hour' | 'dim' | 'path2' | 'path3';

/** Reads one kind of day bucket of `feeds` × `days` in one pipeline: feed → one bucket per day, in order. */
export async function readBuckets(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  days: LocalDay[],
  kind: BucketKind = 'total',
): Promise<Map<FeedName, Bucket[]>> {
  const keyOf: (feed: FeedName, day: LocalDay) => string = {
    total: keys.dayBucket,
    hour: keys.dayHourBucket,
    dim: keys.dayDimBucket,
    path2: (feed: FeedName, day: LocalDay) => keys.dayPathBucket(feed, day, 2),
    path3: (feed: FeedName, day: LocalDay) => keys.dayPathBucket(feed, day, 3),
  }[kind];
  const pipeline = redis.pipeline();
  for (const feed of feeds) for (const day of days) pipeline.hgetall(keyOf(feed, day));
  const results = (await pipeline.exec()) ?? [];
  const out = new Map<FeedName, Bucket[]>();
  feeds.forEach((feed, f) => {
    out.set(
      feed,
      days.map((_, d) => {
        const [err, value] = results[f * days.length + d]!;
        if (err) throw err;
        return value as Bucket;
      }),
    );
  });
  return out;
}

/** Adds a day's totals into `target`, each field name behind `prefix`. */
export function sumBucket(bucket: Bucket, target: MutableFields, prefix = ''): void {
  for (const name in bucket) addInto(target, prefix + name, Number(bucket[name]));
}

/** Adds a day's `<field>|<groupBy>=<value>` breakdown fields into one field set per (decoded) value. */
export function sumBucketGroups(bucket: Bucket, groupBy: string, groups: Map<string, MutableFields>): void {
  const marker = `|${groupBy}=`;
  for (const name in bucket) {
    const at = name.indexOf(marker);
    if (at < 0) continue;
    const value = decodeDimValue(name.slice(at + marker.length));
    let fields = groups.get(value);
    if (!fields) groups.set(value, (fields = {}));
    addInto(fields, name.slice(0, at), Number(bucket[name]));
  }
}

/**
 * Adds a day's drill-down fields `<field>|<path>` whose path starts with `marker` (`|category=X>street=`,
 * values encoded) and ends one level below it into one field set per (decoded) value of that level
 * (deeper levels are skipped).
 */
export function sumBucketPathGroups(bucket: Bucket, marker: string, groups: Map<string, MutableFields>): void {
  for (const name in bucket) {
    const at = name.indexOf('|');
    if (at < 0 || !name.startsWith(marker, at)) continue;
    const encoded = name.slice(at + marker.length);
    if (encoded.includes('>')) continue;
    const value = decodeDimValue(encoded);
    let fields = groups.get(value);
    if (!fields) groups.set(value, (fields = {}));
    addInto(fields, name.slice(0, at), Number(bucket[name]));
  }
}

/** The same calendar day one year earlier (29 February → 28 February). */
export function sameDayLastYear(day: LocalDay): LocalDay {
  const year = Number(day.slice(0, 4)) - 1;
  const monthDay = day.slice(5) === '02-29' ? '02-28' : day.slice(5);
  return `${year}-${monthDay}`;
}

/** A period as whole calendar months plus the loose days at either end. */
export function splitPeriod(from: LocalDay, to: LocalDay): { months: string[]; days: LocalDay[] } {
  const byMonth = new Map<string, LocalDay[]>();
  for (const day of daysInRange(from, to)) {
    const month = day.slice(0, 7);
    let days = byMonth.get(month);
    if (!days) byMonth.set(month, (days = []));
    days.push(day);
  }
  const months: string[] = [];
  const loose: LocalDay[] = [];
  for (const [month, days] of byMonth) {
    const whole = days[0] === `${month}-01` && addDays(days.at(-1)!, 1).slice(0, 7) !== month;
    if (whole) months.push(month);
    else loose.push(...days);
  }
  return { months, days: loose };
}

/**
 * Every feed's totals over [from, to] — whole months from month buckets, loose days from day buckets —
 * and its number of days with any data (an EXISTS per day: no hash is read for that).
 */
export async function readPeriodTotals(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  from: LocalDay,
  to: LocalDay,
  prefix = '',
): Promise<Map<FeedName, { totals: MutableFields; activeDays: number }>> {
  const { months, days } = splitPeriod(from, to);
  const allDays = daysInRange(from, to);
  const pipeline = redis.pipeline();
  for (const feed of feeds) {
    for (const month of months) pipeline.hgetall(keys.monthBucket(feed, month));
    for (const day of days) pipeline.hgetall(keys.dayBucket(feed, day));
    for (const day of allDays) pipeline.exists(keys.dayBucket(feed, day));
  }
  const results = (await pipeline.exec()) ?? [];
  const out = new Map<FeedName, { totals: MutableFields; activeDays: number }>();
  let r = 0;
  for (const feed of feeds) {
    const totals: MutableFields = {};
    for (let i = 0; i < months.length + days.length; i++) {
      const [err, bucket] = results[r++]!;
      if (err) throw err;
      sumBucket(bucket as Bucket, totals, prefix);
    }
    let activeDays = 0;
    for (let i = 0; i < allDays.length; i++) {
      const [err, exists] = results[r++]!;
      if (err) throw err;
      activeDays += Number(exists);
    }
    out.set(feed, { totals, activeDays });
  }
  return out;
}
