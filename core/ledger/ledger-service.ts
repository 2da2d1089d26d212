import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { bullConnection, ingestQueueName } from '../platform/queues.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { publish } from '../platform/channels.ts';
import { localDayHour } from '../../shared/time.ts';
import type { IngestJobData } from '../ingest/apply-service.ts';
import type { ContributionContext } from '../feeds/feed-applier.ts';
import { recomputeFeed } from './recompute.ts';

const STAT_FIELDS = ['received', 'rejected', 'accepted', 'duplicate', 'conflict', 'replaced', 'superseded'] as const;
type StatField = (typeof STAT_FIELDS)[number];

export interface BucketDifference {
  day: string;
  field: string;
  live: number;
  recomputed: number;
}

export interface FeedVerification {
  entities: number;
  records: number;
  daysCompared: number;
  /** Fields whose live value differs from the recomputation (all of them counted, the first 20 listed). */
  differenceCount: number;
  differences: BucketDifference[];
  liveSetDifferences: number;
  /** Per processing day: received = accepted + duplicate + conflict + replaced + superseded + rejected + pending. */
  days: { day: string; stats: Record<StatField, number>; pending: number; balanced: boolean }[];
  /** Distinct records in the ledger equal the accepted ones. */
  ledgerMatchesAccepted: boolean;
}

export interface VerifyReport {
  ok: boolean;
  feeds: Partial<Record<FeedName, FeedVerification>>;
}

/**
 * Runs `work` while the feeds' ingest queues are paused and no batch is being applied, so the
 * aggregates hold still; resumes the queues whatever happens. Accepted batches wait in their queues.
 */
export async function withIngestPaused<T>(
  redisUrl: string,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  work: (pending: Map<FeedName, IngestJobData[]>) => Promise<T>,
): Promise<T> {
  const queues = feeds.map(
    (feed) =>
      [
        feed,
        new Queue<IngestJobData>(ingestQueueName(feed), { connection: bullConnection(redisUrl, 'blocking'), prefix: keys.queuePrefix() }),
      ] as const,
  );
  try {
    await Promise.all(queues.map(([, q]) => q.pause()));
    for (let i = 0; ; i++) {
      const active = await Promise.all(queues.map(([, q]) => q.getActiveCount()));
      if (active.every((n) => n === 0)) break;
      if (i > 600) throw new Error('batches stayed active for 60 s after pausing ingest');
      await new Promise((r) => setTimeout(r, 100));
    }
    const pending = new Map<FeedName, IngestJobData[]>();
    for (const [feed, q] of queues) {
      const jobs = await q.getJobs(['waiting', 'delayed', 'prioritized', 'failed']);
      pending.set(
        feed,
        jobs.map((j) => j.data),
      );
    }
    return await work(pending);
  } finally {
    await Promise.all(queues.map(([, q]) => q.resume()));
    await Promise.all(queues.map(([, q]) => q.close()));
  }
}

/** Compares the live aggregates of `feeds` with a recomputation from the ledger, and reconciles ingest counts. */
export async function verifyAggregates(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  ctx: ContributionContext,
  pending: Map<FeedName, IngestJobData[]> = new Map(),
): Promise<VerifyReport> {
  const report: VerifyReport = { ok: true, feeds: {} };
  for (const feed of feeds) {
    const recomputed = await recomputeFeed(redis, keys, feed, ctx);
    const liveKeys = new Set(recomputed.stored.bucket);
    for (const key of recomputed.buckets.keys()) liveKeys.add(key);
    const bucketKeys = [...liveKeys].sort();
    const read = redis.pipeline();
    for (const key of bucketKeys) read.hgetall(key);
    const live = (await read.exec()) ?? [];
    const differences: BucketDifference[] = [];
    let differenceCount = 0;
    bucketKeys.forEach((key, i) => {
      const stored = live[i]![1] as Record<string, string>;
      const expected = recomputed.buckets.get(key) ?? new Map<string, number>();
      const fields = new Set([...Object.keys(stored), ...expected.keys()]);
      for (const field of fields) {
        const a = Number(stored[field] ?? 0);
        const b = expected.get(field) ?? 0;
        if (a === b) continue;
        differenceCount++;
        if (differences.length < 20) differences.push({ day: key.slice(key.lastIndexOf(':') + 1), field, live: a, recomputed: b });
      }
    });

    let liveSetDifferences = 0;
    const setKeys = new Set([...recomputed.stored.liveSet, ...recomputed.members.keys()]);
    for (const key of setKeys) {
      const stored = await redis.zrange(key, '0', '-1', 'WITHSCORES');
      const storedMap = new Map<string, number>();
      for (let i = 0; i < stored.length; i += 2) storedMap.set(stored[i]!, Number(stored[i + 1]));
      const expected = recomputed.members.get(key) ?? new Map();
      for (const [member, score] of expected) if (storedMap.get(member) !== score) liveSetDifferences++;
      for (const member of storedMap.keys()) if (!expected.has(member)) liveSetDifferences++;
    }

    const pendingByDay = new Map<string, number>();
    for (const job of pending.get(feed) ?? []) {
      const day = localDayHour(job.receivedAt, ctx.tz).day;
      pendingByDay.set(day, (pendingByDay.get(day) ?? 0) + job.records.length);
    }
    const statKeys = recomputed.stored.stats.sort();
    const days: FeedVerification['days'] = [];
    let acceptedTotal = 0;
    for (const key of statKeys) {
      const raw = await redis.hgetall(key);
      const stats = Object.fromEntries(STAT_FIELDS.map((f) => [f, Number(raw[f] ?? 0)])) as Record<StatField, number>;
      const day = key.slice(-10);
      const pendingRecords = pendingByDay.get(day) ?? 0;
      const accounted =
        stats.accepted + stats.duplicate + stats.conflict + stats.replaced + stats.superseded + stats.rejected + pendingRecords;
      days.push({ day, stats, pending: pendingRecords, balanced: accounted === stats.received });
      acceptedTotal += stats.accepted;
    }
    const verification: FeedVerification = {
      entities: recomputed.entities,
      records: recomputed.records,
      daysCompared: bucketKeys.length,
      differenceCount,
      differences,
      liveSetDifferences,
      days,
      ledgerMatchesAccepted: acceptedTotal === recomputed.records,
    };
    report.feeds[feed] = verification;
    if (differenceCount > 0 || liveSetDifferences > 0 || !verification.ledgerMatchesAccepted || days.some((d) => !d.balanced))
      report.ok = false;
  }
  return report;
}

/**
 * Recomputes every aggregate of `feeds` from the ledger and replaces the live day buckets and live
 * sets with it. Run with ingest paused (withIngestPaused).
 */
export async function rebuildAggregates(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  ctx: ContributionContext,
  onFeed?: (feed: FeedName, summary: { entities: number; records: number; buckets: number; seconds: number }) => void,
): Promise<void> {
  for (const feed of feeds) {
    const started = performance.now();
    const recomputed = await recomputeFeed(redis, keys, feed, ctx);
    const stale = [...recomputed.stored.bucket, ...recomputed.stored.liveSet];
    const write = redis.pipeline();
    for (let i = 0; i < stale.length; i += 500) write.del(...stale.slice(i, i + 500));
    for (const [key, fields] of recomputed.buckets) {
      // Flat field/value arguments, at most 500 fields a command (a year's month bucket has thousands).
      let args: (string | number)[] = [];
      for (const [field, n] of fields) {
        if (n === 0) continue;
        args.push(field, n);
        if (args.length === 1000) {
          write.hset(key, args);
          args = [];
        }
      }
      if (args.length > 0) write.hset(key, args);
    }
    for (const [key, members] of recomputed.members) {
      const args: string[] = [];
      for (const [member, score] of members) args.push(String(score), member);
      for (let i = 0; i < args.length; i += 1000) write.zadd(key, ...args.slice(i, i + 1000));
    }
    const results = (await write.exec()) ?? [];
    for (const [err] of results) if (err) throw err;
    onFeed?.(feed, {
      entities: recomputed.entities,
      records: recomputed.records,
      buckets: recomputed.buckets.size,
      seconds: (performance.now() - started) / 1000,
    });
  }
  await publish(redis, keys, 'changed', { feed: 'all', days: [] });
}
