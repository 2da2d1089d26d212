import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../../shared/redis-keys.ts';
import type { LocalDay } from '../../shared/time.ts';

export type Bucket = Record<string, string>;
export type MutableFields = Record<string, number>;

export function addInto(target: MutableFields, name: string, value: number): void {
  target[name] = (target[name] ?? 0) + value;
}

/** Which hash of a day: its totals, its hours (`<field>@HH`) or its breakdowns (`<field>|<dim>=<value>`). */
export type BucketKind = 'total' | 'hour' | 'dim';

/** Reads one kind of day bucket of `feeds` × `days` in one pipeline: feed → one bucket per day, in order. */
export async function readBuckets(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  days: LocalDay[],
  kind: BucketKind = 'total',
): Promise<Map<FeedName, Bucket[]>> {
  const keyOf = kind === 'total' ? keys.dayBucket : kind === 'hour' ? keys.dayHourBucket : keys.dayDimBucket;
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

/** Adds a day's `<field>|<groupBy>=<value>` breakdown fields into one field set per value. */
export function sumBucketGroups(bucket: Bucket, groupBy: string, groups: Map<string, MutableFields>): void {
  const marker = `|${groupBy}=`;
  for (const name in bucket) {
    const at = name.indexOf(marker);
    if (at < 0) continue;
    const value = name.slice(at + marker.length);
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
