import type { Redis } from 'ioredis';
import type { FeedName } from '../shared/feeds/feed.ts';
import type { RedisKeys } from '../shared/redis-keys.ts';
import { localDayHour, type LocalDay } from '../shared/time.ts';
import type { FeedApplier } from './feeds/feed-applier.ts';
import { hotlineApplier } from './feeds/hotline.apply.ts';
import { defineScripts } from './lua/scripts.ts';

/** A queued batch: the accepted, normalised records of one ingest request. */
export interface IngestJobData {
  feed: FeedName;
  batchId: string;
  /** Epoch ms the server accepted the request. */
  receivedAt: number;
  records: { id: string }[];
}

export type ApplyOutcome = 'new' | 'replay' | 'duplicate' | 'conflict';

export interface BatchResult {
  counts: Record<ApplyOutcome, number>;
  /** Local days whose buckets changed. */
  days: LocalDay[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const APPLIERS: Partial<Record<FeedName, FeedApplier<any>>> = { hotline: hotlineApplier };

/** Feeds whose records can be applied. */
export const SUPPORTED_FEEDS = Object.keys(APPLIERS) as FeedName[];

const CHUNK = 500;
const pad2 = (h: number) => (h < 10 ? `0${h}` : String(h));

/**
 * Applies queued batches to the Redis aggregates, each record exactly once (apply-once.lua). A batch
 * that is retried after a crash re-applies only what it had not applied before.
 */
export class ApplyService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly tz: string,
    private readonly now: () => number = Date.now,
  ) {
    defineScripts(redis);
  }

  async applyBatch(job: IngestJobData): Promise<BatchResult> {
    const applier = APPLIERS[job.feed];
    if (!applier) throw new Error(`no applier for feed ${job.feed}`);
    const counts: Record<ApplyOutcome, number> = { new: 0, replay: 0, duplicate: 0, conflict: 0 };
    const days = new Set<LocalDay>();
    const processedAt = this.now();
    const statsKey = this.keys.ingestStats(job.feed, localDayHour(processedAt, this.tz).day);
    const conflictsKey = this.keys.conflicts(job.feed);

    for (let start = 0; start < job.records.length; start += CHUNK) {
      const chunk = job.records.slice(start, start + CHUNK);
      const pipeline = this.redis.pipeline();
      const chunkDays: LocalDay[] = [];
      chunk.forEach((record, i) => {
        const { id, ...content } = record;
        const { entity, field } = applier.ledgerLocation(record);
        const { day, hour } = localDayHour(applier.countedAt(record), this.tz);
        chunkDays.push(day);
        const args: (string | number)[] = [];
        for (const [name, increment] of applier.increments(record)) {
          args.push(name, increment, `${name}@${pad2(hour)}`, increment);
        }
        pipeline.applyOnce(
          this.keys.ledger(job.feed, entity),
          this.keys.dayBucket(job.feed, day),
          statsKey,
          conflictsKey,
          field,
          `${job.batchId}:${start + i}`,
          id,
          JSON.stringify(content),
          `${entity}|${field}`,
          processedAt,
          ...args,
        );
      });
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([err, outcome], i) => {
        if (err) throw err;
        counts[outcome as ApplyOutcome]++;
        // A replay may follow a crash before the change was announced: announce it again.
        if (outcome === 'new' || outcome === 'replay') days.add(chunkDays[i]!);
      });
    }
    if (days.size > 0) {
      await this.redis
        .multi()
        .hset(this.keys.lastRecordAt(), job.feed, processedAt)
        .publish(this.keys.changedChannel(), JSON.stringify({ feed: job.feed, days: [...days] }))
        .exec();
    }
    return { counts, days: [...days] };
  }
}
