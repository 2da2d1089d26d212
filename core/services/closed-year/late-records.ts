import type { Redis } from 'ioredis';
import type { FeedName } from '../../../shared/feeds/feed.ts';
import { localDayHour, type LocalDay } from '../../../shared/time.ts';
import type { RedisKeys } from '../../platform/redis-keys.ts';
import { applierOf } from '../../feeds/index.ts';
import { closedYearKeys } from './published-keys.ts';

/**
 * Adds a batch's late records once: `KEYS[1]` the batch's applied-chunks hash (field `late` marks it
 * counted; the hash lives 7 days, like the `counted` marker of count-received.lua), `KEYS[2]` the feed's
 * late-records hash (same hash tag); ARGV year, n pairs. Returns 1 when counted now, 0 when it had been.
 */
const COUNT_LATE = `
if redis.call('HSETNX', KEYS[1], 'late', 1) == 0 then return 0 end
redis.call('EXPIRE', KEYS[1], 604800)
for i = 1, #ARGV, 2 do redis.call('HINCRBY', KEYS[2], ARGV[i], ARGV[i + 1]) end
return 1`;

/** The local day a record is for: a hall queue step's `day`, else its time `at`, else an online row's `date`. */
function dayOf(record: Record<string, unknown>, tz: string): LocalDay | undefined {
  if (typeof record.day === 'string') return record.day as LocalDay;
  if (typeof record.at === 'number') return localDayHour(record.at, tz).day;
  return typeof record.date === 'string' ? (record.date as LocalDay) : undefined;
}

/**
 * The end-of-batch hook of core/ingest/apply-service.ts: counts the batch's records for a day of a closed year
 * that the ledger holds as delivered by this batch (`<batchId>:<index>` in its slot: new or replaced, never a
 * duplicate or a superseded one), once per batch. Read from the ledger, not from this run's outcomes, so a
 * retried job (whose chunks applied before a crash now replay) counts them all the same, and the `late` marker
 * keeps a second run from counting again. A batch with no record of a closed year costs one HKEYS. The close copies
 * the buckets with the ingest queues paused and drained, so every batch is wholly before the copy (its records are in
 * the published figures, its hook ran before the year's marker existed) or wholly after it (counted here).
 */
export async function countLateRecords(
  redis: Redis,
  keys: RedisKeys,
  tz: string,
  job: { feed: FeedName; batchId: string; records: { id: string }[] },
): Promise<void> {
  // Years whose frozen copy of this feed exists: counting starts with the copy's MULTI, not with the registry entry.
  const pub = closedYearKeys(keys.prefix);
  const years = new Set((await redis.hkeys(pub.frozenYears(job.feed))).map(Number));
  if (years.size === 0) return;
  const applier = applierOf(job.feed);
  const candidates: { index: number; year: number; entity: string; slot: string }[] = [];
  job.records.forEach((record, index) => {
    const day = dayOf(record as unknown as Record<string, unknown>, tz);
    const year = day === undefined ? NaN : Number(day.slice(0, 4));
    if (years.has(year)) candidates.push({ index, year, entity: applier.entityOf(record, tz), slot: applier.slotOf(record) });
  });
  if (candidates.length === 0) return;
  const read = redis.pipeline();
  for (const c of candidates) read.hget(keys.ledger(job.feed, c.entity), c.slot);
  const values = (await read.exec()) ?? [];
  const perYear = new Map<number, number>();
  candidates.forEach((c, i) => {
    const [err, value] = values[i]!;
    if (err) throw err;
    if (typeof value === 'string' && value.startsWith(`${job.batchId}:${c.index}\n`)) perYear.set(c.year, (perYear.get(c.year) ?? 0) + 1);
  });
  const args = [...perYear].flat();
  await redis.eval(COUNT_LATE, 2, keys.appliedChunks(job.feed, job.batchId), pub.lateRecords(job.feed), ...args);
}

/** Late records per closed year, summed over the feeds. */
export async function readLateRecords(redis: Redis, keys: RedisKeys, feeds: readonly FeedName[], year: number): Promise<number> {
  const pub = closedYearKeys(keys.prefix);
  const pipeline = redis.pipeline();
  for (const feed of feeds) pipeline.hget(pub.lateRecords(feed), String(year));
  const results = (await pipeline.exec()) ?? [];
  return results.reduce((sum, [err, value]) => {
    if (err) throw err;
    return sum + Number(value ?? 0);
  }, 0);
}
