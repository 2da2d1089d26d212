import type { Redis } from 'ioredis';
import type { FeedName } from '../shared/feeds/feed.ts';
import type { RedisKeys } from '../shared/redis-keys.ts';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.ts';
import { localDayHour, type LocalDay } from '../shared/time.ts';
import { decodeEntity, planEntity, type ApplyOutcome, type Delivery, type EntityPlan } from './entity-plan.ts';
import { APPLIERS } from './feeds/index.ts';
import { defineScripts } from './lua/scripts.ts';

export type { ApplyOutcome } from './entity-plan.ts';

/** A queued batch: the accepted, normalised records of one ingest request. */
export interface IngestJobData {
  feed: FeedName;
  batchId: string;
  /** Epoch ms the server accepted the request. */
  receivedAt: number;
  records: { id: string }[];
}

export interface BatchResult {
  counts: Record<ApplyOutcome, number>;
  /** Local days whose buckets changed. */
  days: LocalDay[];
}

/** Feeds whose records can be applied. */
export const SUPPORTED_FEEDS = Object.keys(APPLIERS) as FeedName[];

/** Entities planned and applied per pipeline round trip. */
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

/**
 * Applies queued batches to the Redis aggregates, each record exactly once: the records of a batch are
 * grouped by ledger entity, each entity's change is planned against its current ledger
 * (entity-plan.ts) and applied with apply-entity.lua, which refuses a plan made on a version that has
 * since moved (another worker got there first); such entities are re-read and re-planned.
 */
export class ApplyService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly tz: string,
    private readonly settings: Settings = DEFAULT_SETTINGS,
    private readonly now: () => number = Date.now,
  ) {
    defineScripts(redis);
  }

  async applyBatch(job: IngestJobData): Promise<BatchResult> {
    const applier = APPLIERS[job.feed];
    if (!applier) throw new Error(`no applier for feed ${job.feed}`);
    const counts: Record<ApplyOutcome, number> = { new: 0, replay: 0, duplicate: 0, conflict: 0, replaced: 0, superseded: 0 };
    const days = new Set<LocalDay>();
    const processedAt = this.now();
    const ctx = { settings: this.settings, tz: this.tz };
    // Statistics count on the day the server received the batch, where it counted `received`.
    const statsKey = this.keys.ingestStats(job.feed, localDayHour(job.receivedAt, this.tz).day);
    const conflictsKey = this.keys.conflicts(job.feed);

    const byEntity = new Map<string, Delivery<{ id: string }>[]>();
    job.records.forEach((record, index) => {
      const entity = applier.entityOf(record, this.tz);
      let list = byEntity.get(entity);
      if (!list) byEntity.set(entity, (list = []));
      list.push({ record, origin: `${job.batchId}:${index}` });
    });

    const entities = [...byEntity.keys()];
    for (let start = 0; start < entities.length; start += CHUNK) {
      let pending = entities.slice(start, start + CHUNK);
      for (let round = 0; pending.length > 0; round++) {
        if (round === MAX_ROUNDS) throw new Error(`entities kept changing under this worker: ${pending.slice(0, 5).join(', ')}`);
        const read = this.redis.pipeline();
        for (const entity of pending) read.hgetall(this.keys.ledger(job.feed, entity));
        const states = (await read.exec()) ?? [];

        const plans: EntityPlan[] = [];
        const write = this.redis.pipeline();
        pending.forEach((entity, i) => {
          const [err, hash] = states[i]!;
          if (err) throw err;
          const { version, slots } = decodeEntity<{ id: string }>(hash as Record<string, string>);
          const plan = planEntity(applier, entity, slots, byEntity.get(entity)!, this.keys, ctx, processedAt);
          plans.push(plan);
          const stats = new Map<string, number>();
          for (const outcome of plan.outcomes) {
            const field = STAT_FIELD[outcome];
            if (field) stats.set(field, (stats.get(field) ?? 0) + 1);
          }
          write.applyEntity(
            this.keys.ledger(job.feed, entity),
            statsKey,
            conflictsKey,
            version,
            plan.ledgerWrites.length,
            ...plan.ledgerWrites.flat(),
            stats.size,
            ...[...stats].flat(),
            plan.conflicts.length,
            ...plan.conflicts,
            plan.counts.length,
            ...plan.counts.flat(),
            plan.members.length,
            ...plan.members.flat(),
          );
        });
        const results = (await write.exec()) ?? [];
        const stale: string[] = [];
        results.forEach(([err, status], i) => {
          if (err) throw err;
          if (status === 'stale') return stale.push(pending[i]!);
          const plan = plans[i]!;
          for (const outcome of plan.outcomes) counts[outcome]++;
          for (const day of plan.days) days.add(day);
        });
        pending = stale;
      }
    }

    const done = this.redis.multi().hset(this.keys.batchResult(job.batchId), counts).expire(this.keys.batchResult(job.batchId), 86_400);
    // Announce even when this run only replayed: a crash may have come before the first announcement.
    if (days.size > 0 || counts.replay > 0) {
      done.hset(this.keys.lastRecordAt(), job.feed, processedAt).publish(this.keys.changedChannel(), JSON.stringify({ feed: job.feed, days: [...days] }));
    }
    await done.exec();
    return { counts, days: [...days] };
  }
}
