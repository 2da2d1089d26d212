import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../../core/platform/redis-keys.ts';

/** Every field stored for a feed's day — totals, `@HH` hours and `|dim=value` breakdowns — in one object. */
export async function allBuckets(redis: Redis, keys: RedisKeys, feed: FeedName, day: string): Promise<Record<string, string>> {
  const [totals, hours, dims] = await Promise.all([
    redis.hgetall(keys.dayBucket(feed, day)),
    redis.hgetall(keys.dayHourBucket(feed, day)),
    redis.hgetall(keys.dayDimBucket(feed, day)),
  ]);
  return { ...totals, ...hours, ...dims };
}
