import { hash } from 'node:crypto';
import { UnrecoverableError } from 'bullmq';
import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { publish } from '../platform/channels.ts';
import type { CoreContext } from '../context.ts';
import type { Settings } from '../../shared/settings.ts';
import { localDayHour, type LocalDay } from '../../shared/time.ts';
import { TICKER_LENGTH, tickerItemOf } from '../../shared/feeds/wall.ts';
import { planEntity, readEntities, type ApplyOutcome, type Delivery, type EntityPlan, type Increments } from './entity-plan.ts';
import { FEEDS, applierOf } from '../feeds/index.ts';
import { defineScripts } from './lua/scripts.ts';
import type { ContributionContext } from '../feeds/feed-applier.ts';
import { addApplyLatency } from './apply-latency.ts';
import { countLateRecords } from '../services/closed-year/late-records.ts';

export type { ApplyOutcome } from './entity-plan.ts';

/** A queued batch: the accepted, normalised records of one ingest request. */
export interface IngestJobData {
  feed: FeedName;
  batchId: string;
  /** Epoch ms the server accepted the request. */
  receivedAt: number;
  records: { id: string }[];
  /**
   * The request's records received and rejected, counted by the server once queued and by the worker
   * when it first takes the batch, whichever comes first (count-received.lua). Absent from batches
   * queued before they were carried.
   */
  received?: number;
  rejected?: number;
  /** The id of the HTTP request that sent the batch (X-Request-Id), for the worker's log lines. */
  requestId?: string;
}

export interface BatchResult {
  counts: Record<ApplyOutcome, number>;
  /** Local days whose buckets changed. */
  days: LocalDay[];
}

/** Feeds whose records can be applied. */
export const SUPPORTED_FEEDS = Object.keys(FEEDS) as FeedName[];

/** How long a batch's applied-chunks hash, and so its `counted` marker, lives (apply-entities.lua, count-received.lua). */
const APPLIED_CHUNKS_TTL_MS = 7 * 86_400_000;
/** Entities planned and applied per atomic script call. */
const CHUNK = 500;
/** Rounds an entity may be re-planned because another worker changed it meanwhile. */
const MAX_ROUNDS = 50;

/** Statistics field per outcome (a replay is not counted again). */
const STAT_FIELD: Partial<Record<ApplyOutcome, string>> = {
  new: 'accepted',
  duplicate: 'duplicate',
  conflict: 'conflict',
  replaced: 'replaced',
  superseded: 'superseded',
};

/** The plans of a chunk as one change: statistics and bucket increments summed, conflicts and live-set changes listed. */
function mergePlans(plans: EntityPlan[], increments: Increments) {
  const stats = new Map<string, number>();
  const conflicts: string[] = [];
  const members: EntityPlan['members'] = [];
  for (const plan of plans) {
    for (const outcome of plan.outcomes) {
      const field = STAT_FIELD[outcome];
      if (field) stats.set(field, (stats.get(field) ?? 0) + 1);
    }
    conflicts.push(...plan.conflicts);
    members.push(...plan.members);
  }
  const counts: (string | number)[] = [];
  let countTriples = 0;
  for (const [key, fields] of increments) {
    for (const [field, n] of fields) {
      if (n === 0) continue;
      counts.push(key, field, n);
      countTriples++;
    }
  }
  return { stats: [...stats], conflicts, counts, countTriples, members };
}

/** What the chunks of one batch share. */
interface BatchScope {
  job: IngestJobData;
  applier: NonNullable<ReturnType<typeof applierOf>>;
  ctx: ContributionContext;
  processedAt: number;
  statsKey: string;
  conflictsKey: string;
  totalsKey: string;
  appliedKey: string;
}

/** A chunk's plans once applied; `replayed` when an earlier run of the job had applied it. */
interface ChunkResult {
  chunk: string[];
  plans: EntityPlan[];
  replayed: boolean;
}

/** Identifies a chunk of a batch by its deliveries (origin and record id), so a re-run of the same job recognises the chunks it applied. */
function chunkId(chunk: readonly string[], byEntity: Map<string, Delivery<{ id: string }>[]>): string {
  let text = '';
  for (const entity of chunk) for (const { origin, record } of byEntity.get(entity)!) text += `${origin}\t${record.id}\n`;
  return hash('sha1', text, 'base64url'); // one call over the text (the same digest as fed line by line)
}

/**
 * Applies queued batches to the Redis aggregates, each record exactly once: the records of a batch are
 * grouped by ledger entity, each entity's change is planned against its current ledger
 * (entity-plan.ts), and a chunk of 500 entities is applied by one apply-entities.lua call — atomically,
 * and only if no entity's version moved since it was read (another worker got there first); otherwise
 * the chunk is read and planned again.
 */
export class ApplyService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly tz: string;
  private readonly settings: Settings;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, tz: this.tz, settings: this.settings, now: this.now } = ctx);
    defineScripts(this.redis);
  }

  async applyBatch(job: IngestJobData): Promise<BatchResult> {
    const applier = applierOf(job.feed);
    if (!applier) throw new Error(`no applier for feed ${job.feed}`);
    const counts: Record<ApplyOutcome, number> = { new: 0, replay: 0, duplicate: 0, conflict: 0, replaced: 0, superseded: 0 };
    const days = new Set<LocalDay>();
    const processedAt = this.now();
    const ctx = { settings: this.settings, tz: this.tz };
    // Statistics count on the day the server received the batch, where it counted `received`.
    const statsKey = this.keys.ingestStats(job.feed, localDayHour(job.receivedAt, this.tz).day);
    const conflictsKey = this.keys.conflicts(job.feed);
    const totalsKey = this.keys.ingestTotals(job.feed);
    const appliedKey = this.keys.appliedChunks(job.feed, job.batchId);
    const batch: BatchScope = { job, applier, ctx, processedAt, statsKey, conflictsKey, totalsKey, appliedKey };
    // Received is counted before any outcome, so outcomes never exceed it, even when the server queued
    // the batch but never got to count it. A marker younger than its TTL is still there if it was ever
    // set; an older batch was counted by an earlier run of this job (or the server) if ever.
    if (job.received !== undefined && processedAt - job.receivedAt < APPLIED_CHUNKS_TTL_MS) {
      await this.redis.countReceived(statsKey, appliedKey, totalsKey, job.received, job.rejected ?? 0);
    }

    const byEntity = new Map<string, Delivery<{ id: string }>[]>();
    job.records.forEach((record, index) => {
      const entity = applier.entityOf(record, this.tz);
      let list = byEntity.get(entity);
      if (!list) byEntity.set(entity, (list = []));
      list.push({ record, origin: `${job.batchId}:${index}` });
    });

    /** Deliveries that changed the figures, for the wall's ticker (those of today). */
    const fresh: Delivery<{ id: string }>[] = [];
    const entities = [...byEntity.keys()];
    const chunks: string[][] = [];
    for (let start = 0; start < entities.length; start += CHUNK) chunks.push(entities.slice(start, start + CHUNK));
    // Every chunk of the batch at once: Redis reads one chunk's ledger and applies another's script while
    // this process plans a third (one connection, so they still run in order). Each chunk is atomic on its
    // own, as before; one refused chunk fails the batch once the others have settled.
    const applied = await Promise.allSettled(chunks.map((chunk) => this.applyChunk(batch, chunk, byEntity)));
    const refused = applied.find((r) => r.status === 'rejected');
    if (refused) throw refused.reason;
    for (const result of applied) {
      const { plans, chunk, replayed } = (result as PromiseFulfilledResult<ChunkResult>).value;
      if (replayed) {
        // Applied by an earlier run of this job (its worker died before completing it): count nothing again.
        for (const entity of chunk) counts.replay += byEntity.get(entity)!.length;
        continue;
      }
      plans.forEach((plan, i) => {
        const deliveries = byEntity.get(chunk[i]!)!;
        plan.outcomes.forEach((outcome, k) => {
          counts[outcome]++;
          if (outcome === 'new' || outcome === 'replaced') fresh.push(deliveries[k]!);
        });
        for (const day of plan.days) days.add(day);
      });
    }

    const done = this.redis.multi().hset(this.keys.batchResult(job.batchId), counts).expire(this.keys.batchResult(job.batchId), 86_400);
    // Wall-clock time, as the server's receivedAt (a test's clock in ctx.now moves the figures, not this).
    addApplyLatency(done, this.keys, job.feed, Math.max(0, Date.now() - job.receivedAt) / 1000);
    // Announce even when this run only replayed: a crash may have come before the first announcement.
    if (days.size > 0 || counts.replay > 0) {
      const today = localDayHour(processedAt, this.tz).day;
      const latest = fresh
        .filter((d) => this.dayOf(d.record) === today)
        .slice(-TICKER_LENGTH)
        .map((d) => JSON.stringify(tickerItemOf(job.feed, d.record as unknown as Record<string, unknown>, d.origin)));
      if (latest.length > 0) done.lpush(this.keys.ticker(), ...latest).ltrim(this.keys.ticker(), 0, TICKER_LENGTH - 1);
      publish(done.hset(this.keys.lastRecordAt(), job.feed, processedAt), this.keys, 'changed', { feed: job.feed, days: [...days] });
    }
    await done.exec();
    await countLateRecords(this.redis, this.keys, this.tz, job); // closed years' late records (core/services/closed-year)
    return { counts, days: [...days] };
  }

  /** Reads, plans and applies one chunk of a batch's entities, again while another worker changed one meanwhile. */
  private async applyChunk(batch: BatchScope, chunk: string[], byEntity: Map<string, Delivery<{ id: string }>[]>): Promise<ChunkResult> {
    const { job, applier, ctx, processedAt } = batch;
    for (let round = 0; ; round++) {
      if (round === MAX_ROUNDS) throw new Error(`entities kept changing under this worker: ${chunk.slice(0, 5).join(', ')}`);
      const ledgerKeys = chunk.map((entity) => this.keys.ledger(job.feed, entity));
      const states = await readEntities<{ id: string }>(this.redis, ledgerKeys).catch((err: Error) => {
        // As the script would refuse it (apply-entities.lua): the same batch would meet the same key again.
        throw err.message.startsWith('REFUSED')
          ? new UnrecoverableError(`batch ${job.batchId}: ${err.message}: nothing of this chunk was written`)
          : err;
      });

      const plans: EntityPlan[] = [];
      const increments: Increments = new Map();
      const entityArgs: (string | number)[] = [batch.appliedKey, chunkId(chunk, byEntity), chunk.length];
      chunk.forEach((entity, i) => {
        const { version, slots } = states[i]!;
        const plan = planEntity(applier, entity, slots, byEntity.get(entity)!, this.keys, ctx, processedAt, increments);
        plans.push(plan);
        entityArgs.push(ledgerKeys[i]!, version, plan.ledgerWrites.length);
        for (const [slot, value] of plan.ledgerWrites) entityArgs.push(slot, value);
      });
      const { stats, conflicts, counts: countArgs, countTriples, members } = mergePlans(plans, increments);
      // One argument array, never spread: a chunk of a year's tickets has far more arguments than a
      // JavaScript call may take (spreading overflowed the stack at ~2,300 hotline records).
      const args = entityArgs;
      args.push(stats.length);
      for (const [field, n] of stats) args.push(field, n);
      args.push(conflicts.length);
      for (const conflict of conflicts) args.push(conflict);
      args.push(countTriples);
      for (const arg of countArgs) args.push(arg);
      args.push(members.length);
      for (const [key, member, score] of members) args.push(key, member, score);
      const stale = await this.redis.applyEntities(batch.statsKey, batch.conflictsKey, batch.totalsKey, args).catch((err: Error) => {
        // The script refused the chunk before writing anything (a counter would leave ±(2^53 − 1), a key
        // has the wrong type): the same batch would be refused again, so it fails now and stays failed.
        throw err.message.startsWith('REFUSED') ? new UnrecoverableError(`batch ${job.batchId}: ${err.message}`) : err;
      });
      if (stale === -1) return { chunk, plans: [], replayed: true };
      if (stale !== 0) continue; // another worker changed an entity of this chunk: read and plan again
      return { chunk, plans, replayed: false };
    }
  }

  /** The local day a record happened on (its `at`, or its `date` for day rows): only today's make the ticker, not a back-fill. */
  private dayOf(record: { id: string }): LocalDay | undefined {
    const { at, date } = record as { at?: unknown; date?: unknown };
    if (typeof at === 'number') return localDayHour(at, this.tz).day;
    return typeof date === 'string' ? (date as LocalDay) : undefined;
  }
}
