import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import type { FeedModule, NormalizeContext } from '../../shared/feeds/feed.ts';
import { crossRegionFeed, type CrossRegionCaseRecord } from '../../core/feeds/cross-region/feed.ts';
import { evaluationsFeed, type EvaluationRecord } from '../../core/feeds/evaluations/feed.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { ApplyService, type BatchResult } from '../../core/ingest/apply-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { shuffle } from '../support/orders.ts';
import { allBuckets } from '../support/buckets.ts';
import { testContext } from '../support/context.ts';

const TZ = 'Asia/Shanghai';
const ctx: NormalizeContext = { tz: TZ, hashPhone: (p) => `h${p}` };
const DAYS = ['2022-03-04', '2022-03-05'] as const;
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

function normalized<R extends { id: string }>(feed: FeedModule<R>, raw: Record<string, unknown>): R {
  const r = feed.normalize(raw, ctx);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.record;
}
const caseRecord = (raw: Record<string, unknown>) => normalized<CrossRegionCaseRecord>(crossRegionFeed, raw);
const rating = (raw: Record<string, unknown>) => normalized<EvaluationRecord>(evaluationsFeed, raw);

const PARTNERS = ['广东省深圳市南山区', '湘潭市岳塘区', '株洲市天元区'] as const;

/** 30 cases over two days: all received, two in three completed, every tenth returned. */
function generateCases(): CrossRegionCaseRecord[] {
  const records: CrossRegionCaseRecord[] = [];
  for (let c = 0; c < 30; c++) {
    const day = c < 20 ? DAYS[0] : DAYS[1];
    const attrs = { caseId: `KY${c}`, partnerRegion: PARTNERS[c % 3], direction: c % 2 === 0 ? 'outbound' : 'inbound' };
    records.push(caseRecord({ ...attrs, type: 'received', at: `${day}T09:${String(c).padStart(2, '0')}:00+08:00`, itemCode: `I${c % 4}` }));
    if (c % 3 !== 2) records.push(caseRecord({ ...attrs, type: 'completed', at: `${day}T16:00:00+08:00` }));
    if (c % 10 === 9) records.push(caseRecord({ ...attrs, type: 'returned', at: `${day}T17:00:00+08:00` }));
  }
  return records;
}

/** 40 ratings over two days, every level, every channel. */
function generateRatings(): EvaluationRecord[] {
  const channels = ['window', 'pc', 'mobile', 'kiosk', 'sms'] as const;
  return Array.from({ length: 40 }, (_, i) =>
    rating({
      id: `PJ${i}`,
      at: `${i < 25 ? DAYS[0] : DAYS[1]}T1${i % 8}:00:00+08:00`,
      rating: i % 8 === 0 ? 1 : i % 8 === 1 ? 2 : i % 8 === 2 ? 3 : i % 8 < 5 ? 4 : 5,
      channel: channels[i % 5],
      department: i % 2 === 0 ? '区市场监管局' : '区人社局',
      hall: '区政务服务大厅',
    }),
  );
}

async function figures(prefix: string) {
  const kpis = new KpiService(testContext(redis, redisKeys(prefix), { tz: TZ }), ['crossRegion', 'evaluations']);
  return (await kpis.getKpis(DAYS[0], DAYS[1])).kpis;
}

/** The day buckets as stored, breakdown fields included, fields sorted (a hash keeps no order worth comparing). */
async function buckets(prefix: string, feed: 'crossRegion' | 'evaluations') {
  const keys = redisKeys(prefix);
  const hashes = await Promise.all(DAYS.map((day) => allBuckets(redis, keys, feed, day)));
  return hashes.map((h) => Object.fromEntries(Object.entries(h).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))));
}

async function applyInBatches(service: ApplyService, feed: 'crossRegion' | 'evaluations', records: { id: string }[], size: number) {
  const results: BatchResult[] = [];
  for (let i = 0; i < records.length; i += size) {
    results.push(await service.applyBatch({ feed, batchId: `${feed}-${i}`, receivedAt: 0, records: records.slice(i, i + size) }));
  }
  return results;
}
const total = (results: BatchResult[], k: 'new' | 'duplicate' | 'conflict') => results.reduce((s, r) => s + r.counts[k], 0);

describe('applying crossRegion batches', () => {
  const records = generateCases();

  it('counts each case record once, however often and in whatever order it is sent', async () => {
    const reference = uniquePrefix();
    await new ApplyService(testContext(redis, redisKeys(reference), { tz: TZ })).applyBatch({
      feed: 'crossRegion',
      batchId: 'all',
      receivedAt: 0,
      records,
    });
    const expected = await figures(reference);
    expect(expected['crossRegion.received']!.value).toBe(30);
    expect(expected['crossRegion.completed']!.value).toBe(20);
    expect(expected['crossRegion.completionRate']).toEqual({ value: 20 / 30, numerator: 20, denominator: 30 });

    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
    // The same records again, some re-sent in their Chinese form: the same content, so duplicates.
    const chinese = records.slice(0, 10).map((r) =>
      caseRecord({
        办件编号: r.caseId,
        环节: { received: '受理', completed: '办结', returned: '退件' }[r.type],
        时间: new Date(r.at).toISOString(),
        合作地区: r.partnerRegion,
        方向: r.direction === 'outbound' ? '本地收件' : '异地收件、本地办理',
        ...(r.itemCode && { 事项编码: r.itemCode }),
      }),
    );
    const results = await applyInBatches(service, 'crossRegion', shuffle([...records, ...records, ...chinese], 11), 17);
    expect(await figures(prefix)).toEqual(expected);
    expect(await buckets(prefix, 'crossRegion')).toEqual(await buckets(reference, 'crossRegion'));
    expect(total(results, 'new')).toBe(records.length);
    expect(total(results, 'duplicate')).toBe(records.length + chinese.length);
  });

  it('gives the same figures and breakdowns for every order of one case’s records', async () => {
    const kase = records.filter((r) => r.caseId === 'KY9');
    expect(kase.map((r) => r.type).sort()).toEqual(['completed', 'received', 'returned']);
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
      const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
      for (const i of order) await service.applyBatch({ feed: 'crossRegion', batchId: `o${i}`, receivedAt: 0, records: [kase[i]!] });
      seen.add(JSON.stringify([await figures(prefix), await buckets(prefix, 'crossRegion')]));
    }
    expect(seen.size).toBe(1);
  });

  it('lands the counts under the case’s partnerRegion and direction, also when `received` comes last', async () => {
    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
    const attrs = { caseId: 'KY-late', partnerRegion: '湘潭市岳塘区', direction: 'inbound' };
    await service.applyBatch({
      feed: 'crossRegion',
      batchId: 'c',
      receivedAt: 0,
      records: [caseRecord({ ...attrs, type: 'completed', at: '2022-03-05T11:00:00+08:00' })],
    });
    await service.applyBatch({
      feed: 'crossRegion',
      batchId: 'r',
      receivedAt: 0,
      records: [caseRecord({ ...attrs, type: 'received', at: '2022-03-04T15:00:00+08:00' })],
    });
    const [day4, day5] = await buckets(prefix, 'crossRegion');
    expect(day4).toMatchObject({
      received: '1',
      'received|partnerRegion=湘潭市岳塘区': '1',
      'received|direction=inbound': '1',
      'received@15': '1',
    });
    expect(day5).toMatchObject({
      completed: '1',
      'completed|partnerRegion=湘潭市岳塘区': '1',
      'completed|direction=inbound': '1',
      'completed@11': '1',
    });
  });

  it('moves a case’s earlier counts to the breakdown its `received` record gives, when its records disagree', async () => {
    const at = { received: '2022-03-04T09:00:00+08:00', completed: '2022-03-04T16:00:00+08:00' };
    const completed = caseRecord({ caseId: 'KY-x', type: 'completed', at: at.completed, partnerRegion: '湘潭岳塘', direction: '本地收件' });
    const received = caseRecord({
      caseId: 'KY-x',
      type: 'received',
      at: at.received,
      partnerRegion: '湘潭市岳塘区',
      direction: '异地收件',
    });
    const results = new Set<string>();
    for (const order of [
      [completed, received],
      [received, completed],
    ]) {
      const prefix = uniquePrefix();
      const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
      for (const [i, r] of order.entries())
        await service.applyBatch({ feed: 'crossRegion', batchId: `b${i}`, receivedAt: 0, records: [r] });
      const [day4] = await buckets(prefix, 'crossRegion');
      expect(day4).toMatchObject({
        'completed|partnerRegion=湘潭市岳塘区': '1',
        'completed|direction=inbound': '1',
        'received|partnerRegion=湘潭市岳塘区': '1',
      });
      expect(Object.keys(day4!).filter((f) => f.includes('湘潭岳塘') || f.includes('outbound'))).toEqual([]);
      results.add(JSON.stringify(day4));
    }
    expect(results.size).toBe(1);
  });

  it('keeps a conflicting case record out of the figures and reports it', async () => {
    const prefix = uniquePrefix();
    const keys = redisKeys(prefix);
    const service = new ApplyService(testContext(redis, keys, { tz: TZ }));
    const attrs = { caseId: 'KY-c', partnerRegion: '株洲市天元区', direction: 'outbound' };
    await service.applyBatch({
      feed: 'crossRegion',
      batchId: 'c1',
      receivedAt: 0,
      records: [caseRecord({ ...attrs, type: 'completed', at: '2022-03-04T16:00:00+08:00' })],
    });
    const result = await service.applyBatch({
      feed: 'crossRegion',
      batchId: 'c2',
      receivedAt: 0,
      records: [caseRecord({ ...attrs, type: 'completed', at: '2022-03-05T10:00:00+08:00' })],
    });
    expect(result.counts.conflict).toBe(1);
    const [day4, day5] = await buckets(prefix, 'crossRegion');
    expect(day4).toMatchObject({ completed: '1' });
    expect(day5).toEqual({});
    expect((await figures(prefix))['crossRegion.completed']!.value).toBe(1);
    const [report] = await redis.lrange(keys.conflicts('crossRegion'), 0, -1);
    expect(JSON.parse(report!)).toMatchObject({ key: 'KY-c|completed' });
  });
});

describe('applying evaluations batches', () => {
  const records = generateRatings();
  const levels = records.map((r) => r.rating);
  const positive = levels.filter((l) => l >= 4).length;
  const negative = levels.filter((l) => l <= 2).length;

  it('counts each rating once, however often and in whatever form it is re-sent', async () => {
    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
    const labels = { 1: '非常不满意', 2: '不满意', 3: '基本满意', 4: '满意', 5: '非常满意' } as const;
    const resent = records.map((r) =>
      rating({
        评价编号: r.id,
        评价时间: new Date(r.at).toISOString(),
        评价等级: labels[r.rating],
        评价渠道: r.channel,
        部门: r.department,
        大厅: r.hall,
      }),
    );
    const results = await applyInBatches(service, 'evaluations', shuffle([...records, ...resent, ...records.slice(0, 7)], 3), 9);
    expect(total(results, 'new')).toBe(40);
    expect(total(results, 'duplicate')).toBe(47);
    const k = await figures(prefix);
    expect(k['evaluations.count']).toEqual({ value: 40 });
    expect(k['evaluations.negative']).toEqual({ value: negative });
    expect(k['evaluations.positiveRate']).toEqual({ value: positive / 40, numerator: positive, denominator: 40 });
    expect(k['evaluations.negativeRate']).toEqual({ value: negative / 40, numerator: negative, denominator: 40 });
  });

  it('breaks ratings down by channel, department and hall, on the day they were given', async () => {
    const prefix = uniquePrefix();
    const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
    await service.applyBatch({
      feed: 'evaluations',
      batchId: 'b',
      receivedAt: 0,
      records: [
        rating({
          id: 'E1',
          at: '2022-03-04T15:59:00Z',
          rating: '非常不满意',
          channel: '窗口',
          department: '区人社局',
          hall: '区政务服务大厅',
        }), // 23:59 on the 4th
        rating({ id: 'E2', at: '2022-03-04T16:01:00Z', rating: 4, channel: 'mobile' }), // 00:01 on the 5th
      ],
    });
    const [day4, day5] = await buckets(prefix, 'evaluations');
    expect(day4).toEqual({
      count: '1',
      'count@23': '1',
      'count|channel=window': '1',
      'count|department=区人社局': '1',
      'count|hall=区政务服务大厅': '1',
      'rating.1': '1',
      'rating.1@23': '1',
      'rating.1|channel=window': '1',
      'rating.1|department=区人社局': '1',
      'rating.1|hall=区政务服务大厅': '1',
      negative: '1',
      'negative@23': '1',
      'negative|channel=window': '1',
      'negative|department=区人社局': '1',
      'negative|hall=区政务服务大厅': '1',
    });
    expect(day5).toMatchObject({ count: '1', 'rating.4': '1', positive: '1', 'positive|channel=mobile': '1', 'positive@00': '1' });
    expect(day5!.negative).toBeUndefined();
  });

  it('keeps a second, different rating under an id already rated out of the figures and reports it', async () => {
    const prefix = uniquePrefix();
    const keys = redisKeys(prefix);
    const service = new ApplyService(testContext(redis, keys, { tz: TZ }));
    await service.applyBatch({
      feed: 'evaluations',
      batchId: 'r1',
      receivedAt: 0,
      records: [rating({ id: 'E9', at: '2022-03-04T10:00:00', rating: 5 })],
    });
    const result = await service.applyBatch({
      feed: 'evaluations',
      batchId: 'r2',
      receivedAt: 0,
      records: [rating({ id: 'E9', at: '2022-03-04T10:00:00', rating: 1 })],
    });
    expect(result.counts).toMatchObject({ new: 0, conflict: 1 });
    const k = await figures(prefix);
    expect(k['evaluations.count']).toEqual({ value: 1 });
    expect(k['evaluations.negative']).toEqual({ value: 0 });
    expect(k['evaluations.positiveRate']).toMatchObject({ value: 1 });
    const [report] = await redis.lrange(keys.conflicts('evaluations'), 0, -1);
    expect(JSON.parse(report!)).toMatchObject({ key: 'E9|rating' });
  });
});
