import { UnrecoverableError } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { localDayHour } from '../../shared/time.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { ApplyService } from '../../core/ingest/apply-service.ts';
import { planEntity } from '../../core/ingest/entity-plan.ts';
import { hallApplier } from '../../core/feeds/hall/apply.ts';
import type { HallQueueRecord } from '../../core/feeds/hall/feed.ts';
import { verifyAggregates } from '../../core/ledger/ledger-service.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';
import { testContext } from '../support/context.ts';

/**
 * Issue 19: the apply script writes each entity's ledger once, and each bucket field a chunk touches
 * once, at its value after the chunk — after every check; and a history batch does not touch today.
 */

const tz = 'Asia/Shanghai';
let server: TestRedis;
let redis: Redis;
beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});

/** `n` served visits (办结 rows only, each its own visit) on one day and hour of one hall window. */
const served = (n: number, day = '2022-06-15', from = 0): HallQueueRecord[] =>
  Array.from({ length: n }, (_, k) => ({
    id: `S${from + k}`,
    type: 'served' as const,
    hall: '区政务服务大厅',
    day: day as HallQueueRecord['day'],
    queueId: `S${from + k}`,
    at: Date.parse(`${day}T09:30:00+08:00`) + k * 1000,
    window: '1号窗口',
    service: '社保',
  }));

/** Calls per Redis command since the last CONFIG RESETSTAT. */
async function commandCalls(): Promise<Record<string, number>> {
  const calls: Record<string, number> = {};
  for (const line of (await redis.info('commandstats')).split('\n')) {
    const m = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (m) calls[m[1]!] = Number(m[2]);
  }
  return calls;
}

describe('the merged apply', () => {
  it('writes a chunk of 500 entities with one HSET per entity and one per bucket, no HINCRBY per field or entity', async () => {
    const keys = redisKeys('merged');
    const service = new ApplyService(testContext(redis, keys));
    await service.applyBatch({ feed: 'hall', batchId: 'warm', receivedAt: Date.now(), records: served(1, '2022-06-14') });
    await redis.config('RESETSTAT');
    const result = await service.applyBatch({ feed: 'hall', batchId: 'b1', receivedAt: Date.now(), records: served(500) });
    expect(result.counts.new).toBe(500);
    const calls = await commandCalls();
    // The day, hour, breakdown, month and two drill-down hashes: one HSET each, beside the 500 ledger HSETs,
    // the applied-chunk marker, and after the script the batch's result and the feed's last record time.
    expect(calls.hset).toBe(500 + 6 + 1 + 2);
    // `accepted` in the day's statistics and the running totals; the apply-latency histogram's bucket and count.
    expect(calls.hincrby ?? 0).toBe(2 + 2);
    // Key types checked: the three keys, the applied-chunks hash and the six buckets — none per ledger entity.
    expect(calls.type).toBe(4 + 6);
    const day = await redis.hgetall(keys.dayBucket('hall', '2022-06-15'));
    expect(day).toEqual({ served: '500' });
    expect(await redis.hget(keys.monthBucket('hall', '2022-06'), 'served')).toBe('501');
    expect(await redis.hget(keys.ledger('hall', hallApplier.entityOf(served(1)[0]!, tz)), '_v')).toBe('1');
    const report = await verifyAggregates(redis, keys, ['hall'], { tz, settings: DEFAULT_SETTINGS });
    expect(report.feeds.hall!.differenceCount).toBe(0);
  });

  it('adds up a field named twice in one call, and deletes a field the chunk brings to 0', async () => {
    const keys = redisKeys('twice');
    const service = new ApplyService(testContext(redis, keys));
    await service.applyBatch({ feed: 'hall', batchId: 'b1', receivedAt: Date.now(), records: served(3) });
    const day = keys.dayBucket('hall', '2022-06-15');
    await redis.hset(day, 'extra', '5');
    // The script's own contract: bucket increments (key, field, n) after the entities, stats and conflicts.
    const answer = await redis.applyEntities(keys.ingestStats('hall', '2022-06-15'), keys.conflicts('hall'), keys.ingestTotals('hall'), [
      keys.appliedChunks('hall', 'hand'),
      'c1',
      0,
      0,
      0,
      3,
      day,
      'served',
      2,
      day,
      'served',
      4,
      day,
      'extra',
      -5,
      0,
    ]);
    expect(answer).toBe(0);
    expect(await redis.hgetall(day)).toEqual({ served: '9' });
  });

  it('refuses a chunk whose ledger key is not a hash before writing anything', async () => {
    const keys = redisKeys('wrongtype');
    const service = new ApplyService(testContext(redis, keys));
    const [first, second] = served(2);
    await redis.set(keys.ledger('hall', hallApplier.entityOf(second!, tz)), 'x');
    const error = await service
      .applyBatch({ feed: 'hall', batchId: 'b1', receivedAt: Date.now(), records: [first!, second!] })
      .catch((e: Error) => e);
    expect(error).toBeInstanceOf(UnrecoverableError);
    expect((error as Error).message).toMatch(/REFUSED key .*:l:q\|.* is a string, not a hash: nothing of this chunk was written/);
    expect(await redis.keys(`${keys.prefix}:*`)).toEqual([keys.ledger('hall', hallApplier.entityOf(second!, tz))]);
  });
});

describe('live figures of a history batch', () => {
  const keys = redisKeys('live');
  const ctx = { tz, settings: DEFAULT_SETTINGS };
  const taken = (at: number): HallQueueRecord => ({
    id: 'T1',
    type: 'taken',
    hall: '区政务服务大厅',
    day: localDayHour(at, tz).day,
    queueId: 'A001',
    at,
    service: '社保',
  });
  const plan = (record: HallQueueRecord, now: number) =>
    planEntity(hallApplier, hallApplier.entityOf(record, tz), new Map(), [{ record, origin: 'b:0' }], keys, ctx, now, new Map());

  it('a number taken on a past day changes the waiting set but not today', () => {
    const now = Date.now();
    const old = plan(taken(Date.parse('2022-06-15T09:00:00+08:00')), now);
    expect(old.members).toHaveLength(1);
    expect([...old.days]).toEqual(['2022-06-15']);
  });

  it('a number taken today touches today', () => {
    const now = Date.now();
    const fresh = plan(taken(now), now);
    expect(fresh.members).toHaveLength(1);
    expect([...fresh.days]).toEqual([localDayHour(now, tz).day]);
  });
});
