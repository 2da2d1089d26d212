import { createHmac, randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FailedJob } from '../../shared/console-types.ts';
import type { Config } from '../platform/config.ts';
import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import { FEED_NAMES, type FeedName, type NormalizeContext, type NormalizeResult } from '../../shared/feeds/feed.ts';
import type { ApplyOutcome, IngestJobData } from './apply-service.ts';
import { defineScripts } from './lua/scripts.ts';
import { FEED_MODULES } from '../feeds/index.ts';
import { INGEST_JOB_OPTIONS, bullConnection, ingestQueueName } from '../platform/queues.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { localDayHour } from '../../shared/time.ts';

/** Requests above this many records are refused whole (API.md). */
export const MAX_RECORDS_PER_REQUEST = 10_000;

/** What a request's records came to; the HTTP edge renders the reasons in the request's language. */
export interface IngestResult {
  accepted: number;
  rejected: { index: number; errors: Message[] }[];
  batchId: string | null;
}

export interface QueueCounts {
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
}

/**
 * Validates records and queues the accepted ones durably in BullMQ before answering. Personal data is
 * hashed here, before anything is queued. While Redis is unreachable it refuses (503) rather than
 * holding records in memory; while the backlog is over its limit it asks senders to come back (429).
 */
export class IngestService {
  private readonly queues = new Map<FeedName, Queue>();
  private backlogCheckedAt = 0;
  private backlogJobs = 0;
  private readonly normalizeContext: NormalizeContext;
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  private readonly redisUrl: string;
  private readonly config: Config;

  constructor(ctx: CoreContext, redisUrl: string, config: Config, piiKey: string) {
    this.redisUrl = redisUrl;
    this.config = config;
    const { redis, keys } = ctx;
    this.redis = redis;
    this.keys = keys;
    this.normalizeContext = {
      tz: config.TZ_REPORT,
      hashPhone: (phone) => createHmac('sha256', piiKey).update(phone).digest('base64url').slice(0, 24),
      timeWindow: { earliestDay: config.INGEST_EARLIEST_DAY, maxAheadHours: config.INGEST_MAX_AHEAD_HOURS },
    };
    defineScripts(redis);
    for (const feed of FEED_NAMES) {
      const queue = new Queue(ingestQueueName(feed), {
        connection: bullConnection(redisUrl, 'command'),
        prefix: keys.queuePrefix(),
        defaultJobOptions: INGEST_JOB_OPTIONS,
        skipWaitingForReady: true,
      });
      // Connection errors surface as a rejected add() (→ 503); the server's own connection logs them.
      queue.on('error', () => undefined);
      this.queues.set(feed, queue);
    }
  }

  isSupported(feed: string): feed is FeedName {
    return FEED_MODULES[feed as FeedName] !== undefined;
  }

  /** Validates and queues one request's records (HTTP ingest); `requestId` travels in the batch into the worker's log lines. */
  async ingest(feed: FeedName, records: unknown[], requestId?: string): Promise<IngestResult> {
    if (records.length > MAX_RECORDS_PER_REQUEST) {
      throw new AppError('payload_too_large', msg('ingest.too_many_records', { max: MAX_RECORDS_PER_REQUEST, count: records.length }));
    }
    await this.assertAccepting(feed);
    const accepted: { id: string }[] = [];
    const rejected: IngestResult['rejected'] = [];
    records.forEach((raw, index) => {
      const result = this.normalize(feed, raw);
      if (result.ok) accepted.push(result.record);
      else rejected.push({ index, errors: result.errors });
    });
    const batchId = await this.enqueue(feed, accepted, records.length, rejected.length, requestId);
    return { accepted: accepted.length, rejected, batchId };
  }

  /** Validates one raw record with its feed's module (personal data hashed on the way). */
  normalize(feed: FeedName, raw: unknown): NormalizeResult<{ id: string }> {
    const module = FEED_MODULES[feed];
    if (!module) throw new AppError('not_found', msg('ingest.feed_not_accepted', { feed }));
    return module.normalize(raw, this.normalizeContext);
  }

  /** Refuses while the feed is unknown, Redis is unreachable (503) or the backlog is full (429). */
  async assertAccepting(feed: FeedName): Promise<void> {
    if (!FEED_MODULES[feed]) throw new AppError('not_found', msg('ingest.feed_not_accepted', { feed }));
    this.assertRedisReachable();
    await this.assertBacklogBelowLimit();
  }

  /**
   * Queues validated records as one batch — durably in Redis before this resolves — and counts what
   * was received and rejected. Returns the batch id (null when nothing was accepted).
   */
  async enqueue(
    feed: FeedName,
    accepted: { id: string }[],
    received: number,
    rejected: number,
    requestId?: string,
  ): Promise<string | null> {
    const receivedAt = Date.now();
    const batchId = accepted.length > 0 ? randomUUID() : null;
    const statsKey = this.keys.ingestStats(feed, localDayHour(receivedAt, this.config.TZ_REPORT).day);
    try {
      if (batchId) {
        const job: IngestJobData = { feed, batchId, receivedAt, records: accepted, received, rejected, ...(requestId && { requestId }) };
        await this.queues.get(feed)!.add(feed, job, { jobId: batchId });
      }
    } catch (err) {
      // The add may have reached Redis before the connection broke: answering 503 then would make the
      // sender's retry a second copy (counted, since the worker counts what it takes). Ask Redis once it is back.
      if (!batchId || !(await this.wasQueued(feed, batchId))) {
        throw new AppError('redis_unavailable', msg('http.redis_unavailable_nothing_accepted'), undefined, 5, { cause: err });
      }
    }
    await this.countReceived(feed, batchId, statsKey, received, rejected);
    return batchId;
  }

  /** Whether batch `batchId` is in its queue or already applied, asked until Redis answers (at most 30 s; false then). */
  private async wasQueued(feed: FeedName, batchId: string): Promise<boolean> {
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      try {
        const [job, applied] = await Promise.all([
          this.queues.get(feed)!.getJob(batchId),
          this.redis.exists(this.keys.batchResult(batchId)),
        ]);
        return job !== undefined || applied === 1;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    return false;
  }

  /**
   * Counts a request's received and rejected records once its batch is queued — exactly once: the
   * worker counts them too when it first takes the batch, and a marker in the batch's applied-chunks
   * hash (count-received.lua) lets only the first count. So a count lost here (Redis went away after
   * the batch was queued) is the worker's to make, and the batch, already durable, is answered 202.
   */
  private async countReceived(feed: FeedName, batchId: string | null, statsKey: string, received: number, rejected: number): Promise<void> {
    if (!batchId) {
      const results = await this.redis
        .multi()
        .hincrby(statsKey, 'received', received)
        .hincrby(statsKey, 'rejected', rejected)
        .hincrby(this.keys.ingestTotals(feed), 'received', received)
        .hincrby(this.keys.ingestTotals(feed), 'rejected', rejected)
        .exec()
        .catch(() => null);
      if (!results || results.some(([err]) => err)) throw new AppError('redis_unavailable', msg('http.redis_unavailable'), undefined, 5);
      return;
    }
    await this.redis
      .countReceived(statsKey, this.keys.appliedChunks(feed, batchId), this.keys.ingestTotals(feed), received, rejected)
      .catch(() => undefined);
  }

  /**
   * What the worker made of a batch: outcome counts once applied, else the job's state
   * (`waiting`, `active`, `delayed` while retrying, `failed` with its reason).
   */
  async batchOutcome(
    feed: FeedName,
    batchId: string,
  ): Promise<{ counts: Record<ApplyOutcome, number> } | { state: string; failedReason?: string }> {
    const counts = await this.redis.hgetall(this.keys.batchResult(batchId));
    if (Object.keys(counts).length > 0) {
      return { counts: Object.fromEntries(Object.entries(counts).map(([k, v]) => [k, Number(v)])) as Record<ApplyOutcome, number> };
    }
    const job = await this.queues.get(feed)!.getJob(batchId);
    if (!job) return { state: 'unknown' };
    return { state: await job.getState(), ...(job.failedReason && { failedReason: job.failedReason }) };
  }

  private assertRedisReachable(): void {
    if (this.redis.status !== 'ready') {
      throw new AppError('redis_unavailable', msg('http.redis_unavailable_nothing_accepted'), undefined, 5);
    }
  }

  /** Jobs waiting across feeds, refreshed at most every 500 ms. */
  private async assertBacklogBelowLimit(): Promise<void> {
    if (Date.now() - this.backlogCheckedAt > 500) {
      const counts = await Promise.all([...this.queues.values()].map((q) => q.getWaitingCount())).catch((err: unknown) => {
        throw new AppError('redis_unavailable', msg('http.redis_unavailable_nothing_accepted'), undefined, 5, { cause: err });
      });
      this.backlogJobs = counts.reduce((a, b) => a + b, 0);
      this.backlogCheckedAt = Date.now();
    }
    if (this.backlogJobs >= this.config.INGEST_MAX_BACKLOG_JOBS) {
      throw new AppError('backlog_full', msg('ingest.backlog_full', { max: this.config.INGEST_MAX_BACKLOG_JOBS }), undefined, 10);
    }
  }

  /** Per-feed queue counts and whether everything accepted so far is reflected in the figures. */
  async status(): Promise<{ idle: boolean; feeds: Record<FeedName, QueueCounts> }> {
    const entries = await Promise.all(
      [...this.queues.entries()].map(async ([feed, queue]) => {
        const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'failed');
        const counts: QueueCounts = {
          waiting: (c.waiting ?? 0) + (c.prioritized ?? 0),
          active: c.active ?? 0,
          delayed: c.delayed ?? 0,
          failed: c.failed ?? 0,
        };
        return [feed, counts] as const;
      }),
    );
    const feeds = Object.fromEntries(entries) as Record<FeedName, QueueCounts>;
    // A failed batch is accepted but not reflected: not idle until it is retried.
    const idle = Object.values(feeds).every((c) => c.waiting + c.active + c.delayed + c.failed === 0);
    return { idle, feeds };
  }

  /** Failed batches of every feed (kept by BullMQ for inspection and retry), newest first, at most `limit` per feed. */
  async failedJobs(limit = 100): Promise<FailedJob[]> {
    const perFeed = await Promise.all(
      [...this.queues.entries()].map(async ([feed, queue]) => {
        const jobs = await queue.getFailed(0, limit - 1);
        return jobs.map((job): FailedJob => {
          const data = job.data as Partial<{ receivedAt: number; records: unknown[] }>;
          return {
            feed,
            jobId: String(job.id),
            records: Array.isArray(data.records) ? data.records.length : 0,
            attemptsMade: job.attemptsMade,
            failedReason: job.failedReason ?? '',
            receivedAt: typeof data.receivedAt === 'number' ? new Date(data.receivedAt).toISOString() : null,
            failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
          };
        });
      }),
    );
    return perFeed.flat().sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
  }

  /** Moves a failed batch back to the queue (its records apply exactly once, as any retry); 'not_found' unless it is failed. */
  async retryJob(feed: FeedName, jobId: string): Promise<void> {
    const job = await this.queues.get(feed)?.getJob(jobId);
    if (!job || !(await job.isFailed())) throw new AppError('not_found', msg('ingest.no_failed_batch', { jobId, feed }));
    await job.retry('failed');
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
