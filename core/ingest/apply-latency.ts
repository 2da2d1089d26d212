import type { ChainableCommander, Redis } from 'ioredis';
import { FEED_NAMES, type FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';

/**
 * The apply-latency histogram — seconds from the server accepting a batch (its `receivedAt`) to a
 * worker having applied it — kept in Redis, so that whichever process applied a batch, every server's
 * GET /metrics exposes the same figures. One hash (`<p>:{applied}:apply-latency`): `<feed>|<le>` →
 * batches in that bucket alone (not cumulative), `<feed>|sum`, `<feed>|count`.
 */
export const APPLY_LATENCY_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900] as const;

/** Adds one applied batch to the histogram, within the worker's end-of-batch transaction. */
export function addApplyLatency(multi: ChainableCommander, keys: RedisKeys, feed: FeedName, seconds: number): void {
  const le = APPLY_LATENCY_BUCKETS.find((b) => seconds <= b) ?? '+Inf';
  const key = keys.applyLatency();
  multi.hincrby(key, `${feed}|${le}`, 1).hincrby(key, `${feed}|count`, 1).hincrbyfloat(key, `${feed}|sum`, seconds.toFixed(6));
}

export interface LatencyHistogram {
  /** Cumulative counts per upper bound (`le`), the last `+Inf`. */
  buckets: { le: string; count: number }[];
  sum: number;
  count: number;
}

/** The histogram of every feed, cumulative as Prometheus expects. */
export async function readApplyLatency(redis: Redis, keys: RedisKeys): Promise<Record<FeedName, LatencyHistogram>> {
  const raw = await redis.hgetall(keys.applyLatency());
  const read = (field: string) => Number(raw[field] ?? 0);
  const result = {} as Record<FeedName, LatencyHistogram>;
  for (const feed of FEED_NAMES) {
    let running = 0;
    const buckets = [...APPLY_LATENCY_BUCKETS.map(String), '+Inf'].map((le) => ({ le, count: (running += read(`${feed}|${le}`)) }));
    result[feed] = { buckets, sum: read(`${feed}|sum`), count: read(`${feed}|count`) };
  }
  return result;
}
