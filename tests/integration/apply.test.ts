import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { hotlineFeed, type HotlineMilestone } from '../../core/feeds/hotline/feed.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { ApplyService, type BatchResult } from '../../core/ingest/apply-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { shuffle } from '../support/orders.ts';
import { testContext } from '../support/context.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h${p}` };
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

function milestone(raw: Record<string, unknown>): HotlineMilestone {
  const r = hotlineFeed.normalize(raw, ctx);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.record;
}

/** 60 tickets over two days: each signed, most completed, some visited with answers. */
function generateTickets(): HotlineMilestone[] {
  const records: HotlineMilestone[] = [];
  for (let t = 0; t < 60; t++) {
    const day = t < 40 ? '2022-03-04' : '2022-03-05';
    const ticketId = `GD${t}`;
    records.push(milestone({ ticketId, type: 'signed', at: `${day}T09:${String(t % 60).padStart(2, '0')}:00+08:00` }));
    if (t % 5 !== 0) records.push(milestone({ ticketId, type: 'completed', at: `${day}T15:00:00+08:00` }));
    if (t % 5 !== 0 && t % 3 !== 0) {
      records.push(
        milestone({
          ticketId,
          type: 'visited',
          at: `${day}T18:00:00+08:00`,
          resolved: t % 7 !== 0,
          satisfaction: t % 11 === 0 ? 'dissatisfied' : 'satisfied',
        }),
      );
    }
  }
  return records;
}

async function figures(prefix: string) {
  const kpis = new KpiService(testContext(redis, redisKeys(prefix)), ['hotline']);
  return (await kpis.getKpis('2022-03-04', '2022-03-05')).kpis;
}

describe('applying hotline batches', () => {
  const records = generateTickets();

  it('counts each milestone once, whatever the order and however often it is sent', async () => {
    const reference = uniquePrefix();
    await new ApplyService(testContext(redis, redisKeys(reference))).applyBatch({ feed: 'hotline', batchId: 'b0', receivedAt: 0, records });
    const expected = await figures(reference);
    expect(expected['hotline.signed']!.value).toBe(60);
    expect(expected['hotline.completed']!.value).toBe(48);

    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix)));
    const resent = shuffle([...records, ...records, ...records.slice(0, 30)], 7);
    const results: BatchResult[] = [];
    for (let i = 0; i < resent.length; i += 50) {
      results.push(await service.applyBatch({ feed: 'hotline', batchId: `b${i}`, receivedAt: 0, records: resent.slice(i, i + 50) }));
    }
    expect(await figures(prefix)).toEqual(expected);
    const total = (k: 'new' | 'duplicate') => results.reduce((s, r) => s + r.counts[k], 0);
    expect(total('new')).toBe(records.length);
    expect(total('duplicate')).toBe(records.length + 30);
  });

  it('gives the same figures for every order of one ticket’s milestones', async () => {
    const ticket = records.filter((r) => r.ticketId === 'GD1');
    expect(ticket).toHaveLength(3);
    const orders = [
      [0, 1, 2],
      [0, 2, 1],
      [1, 0, 2],
      [1, 2, 0],
      [2, 0, 1],
      [2, 1, 0],
    ];
    const seen = new Set<string>();
    for (const order of orders) {
      const prefix = uniquePrefix();
      const service = new ApplyService(testContext(redis, redisKeys(prefix)));
      for (const i of order) await service.applyBatch({ feed: 'hotline', batchId: `o${i}`, receivedAt: 0, records: [ticket[i]!] });
      seen.add(JSON.stringify(await figures(prefix)));
    }
    expect(seen.size).toBe(1);
  });

  it('applies a retried batch only where the first attempt had not, and counts nothing as a duplicate', async () => {
    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix)));
    const batch = { feed: 'hotline' as const, batchId: 'retry', receivedAt: 0, records: records.slice(0, 20) };
    // A first attempt that died after its first 8 records: they were applied under the same origins.
    await service.applyBatch({ ...batch, records: records.slice(0, 8) });
    const retry = await service.applyBatch(batch);
    expect(retry.counts).toMatchObject({ new: 12, replay: 8, duplicate: 0, conflict: 0 });
    const stats = await redis.hgetall(redisKeys(prefix).ingestStats('hotline', '1970-01-01'));
    expect(stats).toMatchObject({ accepted: '20' });
    expect(stats.duplicate).toBeUndefined();
  });

  it('keeps a conflicting record out of the figures and reports it', async () => {
    const prefix = uniquePrefix();
    const keys = redisKeys(prefix);
    const service = new ApplyService(testContext(redis, keys));
    const first = milestone({ ticketId: 'C1', type: 'visited', at: '2022-03-04T18:00:00+08:00', resolved: true });
    const second = milestone({ ticketId: 'C1', type: 'visited', at: '2022-03-04T18:00:00+08:00', resolved: false });
    await service.applyBatch({ feed: 'hotline', batchId: 'c1', receivedAt: 0, records: [first] });
    const result = await service.applyBatch({ feed: 'hotline', batchId: 'c2', receivedAt: 0, records: [second] });
    expect(result.counts.conflict).toBe(1);
    const k = await figures(prefix);
    expect(k['hotline.resolutionRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    const [report] = await redis.lrange(keys.conflicts('hotline'), 0, -1);
    expect(JSON.parse(report!)).toMatchObject({ key: 'C1|visited' });
  });

  it('counts a milestone in the local day of its own time', async () => {
    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix)));
    await service.applyBatch({
      feed: 'hotline',
      batchId: 'tz',
      receivedAt: 0,
      records: [
        milestone({ ticketId: 'Z1', type: 'signed', at: '2022-03-04T15:59:00Z' }), // 23:59 on the 4th, local
        milestone({ ticketId: 'Z2', type: 'signed', at: '2022-03-04T16:01:00Z' }), // 00:01 on the 5th, local
      ],
    });
    const kpis = new KpiService(testContext(redis, redisKeys(prefix)), ['hotline']);
    expect((await kpis.getKpis('2022-03-04', '2022-03-04')).kpis['hotline.signed']!.value).toBe(1);
    expect((await kpis.getKpis('2022-03-05', '2022-03-05')).kpis['hotline.signed']!.value).toBe(1);
    const series = await kpis.getSeries(['hotline.signed'], '2022-03-04', '2022-03-05', 'hour');
    expect(series.buckets).toHaveLength(48);
    expect(series.series['hotline.signed']![23]!.value).toBe(1);
    expect(series.series['hotline.signed']![24]!.value).toBe(1);
  });
  it('applies a full request of 10,000 milestones spanning a year in one batch', async () => {
    const prefix = uniquePrefix();
    const records: HotlineMilestone[] = [];
    for (let t = 0; t < 2_500; t++) {
      const day = new Date(Date.UTC(2022, 0, 1 + (t % 365))).toISOString().slice(0, 10);
      const street = ['文艺路街道', '朝阳街道', '东湖街道'][t % 3];
      records.push(
        milestone({
          ticketId: `Y${t}`,
          type: 'received',
          at: `${day}T08:00:00+08:00`,
          street,
          category: `类别${t}`,
          department: `单位${t}`,
          source: 'phone',
        }),
      );
      records.push(milestone({ ticketId: `Y${t}`, type: 'signed', at: `${day}T08:30:00+08:00` }));
      records.push(milestone({ ticketId: `Y${t}`, type: 'completed', at: `${day}T15:00:00+08:00` }));
      records.push(
        milestone({ ticketId: `Y${t}`, type: 'visited', at: `${day}T18:00:00+08:00`, resolved: true, satisfaction: 'satisfied' }),
      );
    }
    const result = await new ApplyService(testContext(redis, redisKeys(prefix))).applyBatch({
      feed: 'hotline',
      batchId: 'big',
      receivedAt: 0,
      records,
    });
    expect(result.counts.new).toBe(10_000);
    const kpis = await new KpiService(testContext(redis, redisKeys(prefix)), ['hotline']).getKpis('2022-01-01', '2022-12-31');
    expect(kpis.kpis['hotline.signed']).toMatchObject({ value: 2_500 });
  });
});
