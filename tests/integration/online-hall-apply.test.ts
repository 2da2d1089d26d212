import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import type { FeedModule, NormalizeContext } from '../../shared/feeds/feed.ts';
import { hallFeed, type HallRecord } from '../../core/feeds/hall/feed.ts';
import { onlineFeed, type OnlineVolumeRow } from '../../core/feeds/online/feed.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { ApplyService, type BatchResult } from '../../core/ingest/apply-service.ts';
import { WAITING_SET } from '../../core/feeds/hall/apply.ts';
import { uniquePrefix } from '../support/app.ts';
import { permutations } from '../support/orders.ts';
import { allBuckets } from '../support/buckets.ts';
import { testContext } from '../support/context.ts';

const tz = 'Asia/Shanghai';
const ctx: NormalizeContext = { tz, hashPhone: (p) => p };
let redis: Redis;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

function normalizer<R extends { id: string }>(feed: FeedModule<R>) {
  return (raw: Record<string, unknown>): R => {
    const r = feed.normalize(raw, ctx);
    if (!r.ok) throw new Error(r.errors.join('; '));
    return r.record;
  };
}
const onlineRow = normalizer<OnlineVolumeRow>(onlineFeed);
const hallRecord = normalizer<HallRecord>(hallFeed);

/** A fresh key space with an apply service; `apply` sends one batch per call. */
function setup() {
  const keys = redisKeys(uniquePrefix());
  const service = new ApplyService(testContext(redis, keys, { tz: tz }));
  let batch = 0;
  const apply = (feed: 'online' | 'hall', records: { id: string }[]): Promise<BatchResult> =>
    service.applyBatch({ feed, batchId: `b${batch++}`, receivedAt: 0, records });
  const kpis = async (from: string, to = from) =>
    (await new KpiService(testContext(redis, keys, { tz }), ['online', 'hall']).getKpis(from, to)).kpis;
  const bucket = (feed: 'online' | 'hall', day: string) => allBuckets(redis, keys, feed, day);
  /** The live `waiting` set as [member, score, …], by score then member (byte order). */
  const waiting = () => redis.zrange(keys.liveSet('hall', WAITING_SET), '0', '-1', 'WITHSCORES');
  return { keys, apply, kpis, bucket, waiting };
}

describe('applying 一网通办 volume rows', () => {
  const day = '2022-03-04';
  const pcRow = { date: day, itemCode: 'ITEM-1', channel: 'pc', count: 100, fullyOnline: true, department: '市场监管局' };
  const mobileRow = { date: day, itemCode: 'ITEM-1', channel: 'mobile', count: 40 };

  it('replaces a row by its correction, never adding the two', async () => {
    const { apply, kpis, bucket } = setup();
    await apply('online', [onlineRow(pcRow), onlineRow(mobileRow)]);
    let k = await kpis(day);
    expect(k['online.volume']).toEqual({ value: 140 });
    expect(k['online.fullyOnlineRate']).toMatchObject({ numerator: 100, denominator: 140 });
    expect(k['online.mobileShare']).toMatchObject({ numerator: 40, denominator: 140 });

    const result = await apply('online', [onlineRow({ ...pcRow, count: 80, fullyOnline: false, department: '人社局' })]);
    expect(result.counts).toMatchObject({ new: 0, replaced: 1 });
    k = await kpis(day);
    expect(k['online.volume']).toEqual({ value: 120 });
    expect(k['online.fullyOnlineRate']).toMatchObject({ value: 0, numerator: 0, denominator: 120 });
    expect(k['online.mobileShare']).toMatchObject({ numerator: 40, denominator: 120 });
    const fields = await bucket('online', day);
    expect(fields).toMatchObject({
      'volume|channel=pc': '80',
      'volume|department=人社局': '80',
      'volume|item=ITEM-1': '120',
      'volume@00': '120',
    });
    expect(fields['volume|department=市场监管局']).toBeUndefined();
    expect(await kpis('2022-03-03')).toMatchObject({ 'online.volume': { value: 0 } });
  });

  it('keeps the row with the latest asOf whatever the arrival order', async () => {
    const rows = [
      onlineRow({ ...pcRow, count: 90, asOf: '2022-03-05T09:00:00+08:00' }),
      onlineRow({ ...pcRow, count: 120, asOf: '2022-03-05T10:00:00+08:00' }),
      onlineRow({ ...pcRow, count: 110, asOf: '2022-03-05T08:00:00+08:00' }),
    ];
    const seen = new Set<string>();
    for (const order of permutations([0, 1, 2])) {
      const { apply, kpis } = setup();
      for (const i of order) await apply('online', [rows[i]!]);
      const k = await kpis(day);
      expect(k['online.volume']).toEqual({ value: 120 });
      seen.add(JSON.stringify(k));
    }
    expect(seen.size).toBe(1);

    const { apply, kpis } = setup();
    await apply('online', [rows[1]!]);
    const late = await apply('online', [rows[0]!]);
    expect(late.counts).toMatchObject({ superseded: 1, replaced: 0, new: 0 });
    expect((await kpis(day))['online.volume']).toEqual({ value: 120 });
  });

  it('counts a re-sent row once, within one batch and across batches', async () => {
    const { apply, kpis } = setup();
    const first = await apply('online', [onlineRow(pcRow), onlineRow({ ...pcRow, channel: 'pc' }), onlineRow(mobileRow)]);
    expect(first.counts).toMatchObject({ new: 2, duplicate: 1 });
    const again = await apply('online', [onlineRow(mobileRow), onlineRow(pcRow)]);
    expect(again.counts).toMatchObject({ new: 0, duplicate: 2, replaced: 0 });
    expect((await kpis(day))['online.volume']).toEqual({ value: 140 });
  });
});

describe('applying hall queue records', () => {
  const day = '2022-03-04';
  const at = (hhmm: string, d = day) => `${d}T${hhmm}:00+08:00`;
  // A001 waits 12 min and is served in 18; A002 waits 45 (over the 30-min limit) and is served in 10;
  // A003 waits exactly 30 min (within the limit); A004 gives up.
  const visits = {
    A001: [
      { queueId: 'A001', type: 'taken', at: at('09:00'), service: '社保' },
      { queueId: 'A001', type: 'called', at: at('09:12'), window: '3号窗口' },
      { queueId: 'A001', type: 'served', at: at('09:30') },
    ],
    A002: [
      { queueId: 'A002', type: '取号', at: at('09:05') },
      { queueId: 'A002', type: '叫号', at: at('09:50') },
      { queueId: 'A002', type: '办结', at: at('10:00') },
    ],
    A003: [
      { queueId: 'A003', type: 'taken', at: at('09:10') },
      { queueId: 'A003', type: 'called', at: at('09:40') },
    ],
    A004: [
      { queueId: 'A004', type: 'taken', at: at('09:20') },
      { queueId: 'A004', type: 'abandoned', at: at('09:45') },
    ],
  };
  const others = [...visits.A002, ...visits.A003, ...visits.A004].map(hallRecord);

  it('gives the same figures for every order of a visit’s records', async () => {
    const seen = new Set<string>();
    for (const order of permutations(visits.A001.map(hallRecord))) {
      const { apply, kpis, bucket, waiting } = setup();
      await apply('hall', [...others].reverse());
      for (const record of order) await apply('hall', [record]);
      const k = await kpis(day);
      expect(k['hall.taken']).toEqual({ value: 4 });
      expect(k['hall.servedMatters']).toEqual({ value: 2 });
      expect(k['hall.avgWaitMinutes']).toEqual({ value: 29, numerator: 87, denominator: 3 });
      expect(k['hall.waitTargetRate']).toEqual({ value: 2 / 3, numerator: 2, denominator: 3 });
      expect(k['hall.avgServiceMinutes']).toEqual({ value: 14, numerator: 28, denominator: 2 });
      expect(k['hall.abandonRate']).toEqual({ value: 0.25, numerator: 1, denominator: 4 });
      const fields = await bucket('hall', day);
      // The visit's window and service are known to all its steps, whichever record carried them.
      expect(fields).toMatchObject({
        'taken|window=3号窗口': '1',
        'taken|service=社保': '1',
        'wait.count|window=3号窗口': '1',
        'served|hall=区政务服务大厅': '2',
      });
      expect(await waiting()).toEqual([]);
      seen.add(JSON.stringify([k, Object.entries(fields).sort()]));
    }
    expect(seen.size).toBe(1);
  });

  it('counts re-sent queue records once', async () => {
    const { apply, kpis } = setup();
    await apply('hall', [...others, ...visits.A001.map(hallRecord)]);
    const again = await apply('hall', [...visits.A001.map(hallRecord), ...others, hallRecord(visits.A001[0]!)]);
    expect(again.counts).toMatchObject({ new: 0, duplicate: 11, conflict: 0 });
    const k = await kpis(day);
    expect(k['hall.taken']).toEqual({ value: 4 });
    expect(k['hall.avgWaitMinutes']).toMatchObject({ numerator: 87, denominator: 3 });
  });

  it('keeps a different record for the same step out of the figures, as a conflict', async () => {
    const { apply, kpis } = setup();
    await apply('hall', visits.A003.map(hallRecord));
    const result = await apply('hall', [hallRecord({ ...visits.A003[1]!, at: at('10:40') })]);
    expect(result.counts).toMatchObject({ conflict: 1 });
    expect((await kpis(day))['hall.avgWaitMinutes']).toMatchObject({ value: 30 });
  });

  it('treats the same queue number on another day as another visitor', async () => {
    const { apply, kpis, waiting } = setup();
    await apply('hall', [
      hallRecord({ queueId: 'A001', type: 'taken', at: at('09:00', '2022-03-04') }),
      hallRecord({ queueId: 'A001', type: 'taken', at: at('09:00', '2022-03-05') }),
    ]);
    expect(await waiting()).toEqual([
      '区政务服务大厅|2022-03-04|A001',
      String(Date.parse(at('09:00', '2022-03-04'))),
      '区政务服务大厅|2022-03-05|A001',
      String(Date.parse(at('09:00', '2022-03-05'))),
    ]);
    await apply('hall', [
      hallRecord({ queueId: 'A001', type: 'called', at: at('09:10', '2022-03-04') }),
      hallRecord({ queueId: 'A001', type: 'called', at: at('09:40', '2022-03-05') }),
    ]);
    expect((await kpis('2022-03-04', '2022-03-05'))['hall.taken']).toEqual({ value: 2 });
    expect((await kpis('2022-03-04', '2022-03-05'))['hall.avgWaitMinutes']).toEqual({ value: 25, numerator: 50, denominator: 2 });
    expect((await kpis('2022-03-04'))['hall.avgWaitMinutes']).toMatchObject({ value: 10 });
    expect((await kpis('2022-03-05'))['hall.waitTargetRate']).toMatchObject({ value: 0 });
    expect(await waiting()).toEqual([]);
  });

  it('keeps two visits apart when a `|` in the hall name and the queue number would join to the same key', async () => {
    const { apply, kpis } = setup();
    const day = '2022-03-04';
    // hall `甲|2022-03-04|x` number `y` and hall `甲` number `x|2022-03-04|y` were one entity `q|甲|2022-03-04|x|2022-03-04|y`
    const result = await apply('hall', [
      hallRecord({ hall: `甲|${day}|x`, queueId: 'y', type: 'taken', at: at('09:00', day) }),
      hallRecord({ hall: '甲', queueId: `x|${day}|y`, type: 'taken', at: at('09:00', day) }),
    ]);
    expect(result.counts).toMatchObject({ new: 2, duplicate: 0, conflict: 0 });
    expect((await kpis(day))['hall.taken']).toEqual({ value: 2 });
  });

  it('counts a visit at 23:59 local, sent in UTC, on its local day', async () => {
    const { apply, kpis, bucket } = setup();
    await apply('hall', [
      hallRecord({ queueId: 'N1', type: 'called', at: '2022-03-04T15:59:00Z' }), // 23:59 on the 4th, local
      hallRecord({ queueId: 'N1', type: 'taken', at: '2022-03-04T15:40:00Z' }), // 23:40
    ]);
    const k = await kpis('2022-03-04');
    expect(k['hall.taken']).toEqual({ value: 1 });
    expect(k['hall.avgWaitMinutes']).toEqual({ value: 19, numerator: 19, denominator: 1 });
    expect(k['hall.waitTargetRate']).toMatchObject({ value: 1 });
    expect(await bucket('hall', '2022-03-04')).toMatchObject({ 'taken@23': '1', 'wait.count@23': '1' });
    const next = await kpis('2022-03-05');
    expect(next['hall.taken']).toEqual({ value: 0 });
    expect(next['hall.avgWaitMinutes']!.value).toBeNull();
  });

  it('holds a visitor in the waiting set only until called, served or abandoned', async () => {
    const { apply, waiting } = setup();
    const taken = (queueId: string, hall?: string) => hallRecord({ queueId, type: 'taken', at: at('09:00'), ...(hall && { hall }) });
    await apply('hall', [taken('W1'), taken('W2'), taken('W3'), taken('W1', '文艺路街道便民服务中心')]);
    const score = String(Date.parse(at('09:00')));
    expect(await waiting()).toEqual([
      '区政务服务大厅|2022-03-04|W1',
      score,
      '区政务服务大厅|2022-03-04|W2',
      score,
      '区政务服务大厅|2022-03-04|W3',
      score,
      '文艺路街道便民服务中心|2022-03-04|W1',
      score,
    ]);
    await apply('hall', [
      hallRecord({ queueId: 'W1', type: 'called', at: at('09:05') }),
      hallRecord({ queueId: 'W2', type: 'abandoned', at: at('09:30') }),
      hallRecord({ queueId: 'W3', type: 'served', at: at('09:40') }),
    ]);
    expect(await waiting()).toEqual(['文艺路街道便民服务中心|2022-03-04|W1', score]);
    // A call that arrives before its number was taken: the visitor never shows as waiting.
    await apply('hall', [hallRecord({ queueId: 'W9', type: 'called', at: at('10:05') })]);
    await apply('hall', [hallRecord({ queueId: 'W9', type: 'taken', at: at('10:00') })]);
    expect(await waiting()).toEqual(['文艺路街道便民服务中心|2022-03-04|W1', score]);
  });
});

describe('applying hall footfall rows', () => {
  const day = '2022-03-04';
  const row = (hhmm: string, entries: number, extra: Record<string, unknown> = {}) =>
    hallRecord({ type: 'footfall', at: `${day}T${hhmm}:00+08:00`, entries, ...extra });

  it('replaces an interval’s count by its correction, and sums the intervals', async () => {
    const { apply, kpis, bucket } = setup();
    await apply('hall', [row('09:00', 50), row('10:00', 30), row('09:00', 50, { hall: '24小时自助驿站' })]);
    expect((await kpis(day))['hall.visitors']).toEqual({ value: 130 });
    const correction = await apply('hall', [row('09:00', 55)]);
    expect(correction.counts).toMatchObject({ replaced: 1, new: 0 });
    expect((await kpis(day))['hall.visitors']).toEqual({ value: 135 });
    expect(await bucket('hall', day)).toMatchObject({
      'visitors|hall=区政务服务大厅': '85',
      'visitors|hall=24小时自助驿站': '50',
      'visitors@09': '105',
    });
    const resent = await apply('hall', [row('09:00', 55), row('10:00', 30)]);
    expect(resent.counts).toMatchObject({ duplicate: 2 });
    expect((await kpis(day))['hall.visitors']).toEqual({ value: 135 });
  });

  it('keeps the footfall row with the latest asOf', async () => {
    const { apply, kpis } = setup();
    await apply('hall', [row('09:00', 60, { asOf: `${day}T12:00:00+08:00` })]);
    const late = await apply('hall', [row('09:00', 40, { asOf: `${day}T11:00:00+08:00` })]);
    expect(late.counts).toMatchObject({ superseded: 1 });
    expect((await kpis(day))['hall.visitors']).toEqual({ value: 60 });
    await apply('hall', [row('09:00', 65, { asOf: `${day}T13:00:00+08:00` })]);
    expect((await kpis(day))['hall.visitors']).toEqual({ value: 65 });
  });
});
