import { FEED_NAMES, type FeedName } from '../../shared/feeds/feed.ts';
import { readApplyLatency, type LatencyHistogram } from '../ingest/apply-latency.ts';
import type { CoreContext } from '../context.ts';

/** Statistics the ingest scripts keep per feed (running totals of the per-day `st:` hashes). */
export const INGEST_OUTCOMES = ['accepted', 'duplicate', 'conflict', 'replaced', 'superseded', 'rejected'] as const;

export interface IngestMetrics {
  /** Per feed: `received` and each outcome, summed over every receiving day. */
  totals: Record<FeedName, Record<'received' | (typeof INGEST_OUTCOMES)[number], number>>;
  applyLatency: Record<FeedName, LatencyHistogram>;
}

/**
 * The figures workers produce, as GET /metrics exposes them: read from Redis, where the ingest scripts
 * and the workers' end-of-batch transaction keep them, so every server shows the same numbers whichever
 * process received or applied a batch.
 */
export class MetricsService {
  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  async ingest(): Promise<IngestMetrics> {
    const { redis, keys } = this.ctx;
    const [hashes, applyLatency] = await Promise.all([
      Promise.all(FEED_NAMES.map((feed) => redis.hgetall(keys.ingestTotals(feed)))),
      readApplyLatency(redis, keys),
    ]);
    const totals = {} as IngestMetrics['totals'];
    FEED_NAMES.forEach((feed, i) => {
      const hash = hashes[i]!;
      const entry = { received: Number(hash.received ?? 0) } as IngestMetrics['totals'][FeedName];
      for (const outcome of INGEST_OUTCOMES) entry[outcome] = Number(hash[outcome] ?? 0);
      totals[feed] = entry;
    });
    return { totals, applyLatency };
  }
}
