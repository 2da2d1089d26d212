import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Redis } from 'ioredis';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { hotlineFeed, type HotlineMilestone } from '../../core/feeds/hotline/feed.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { ApplyService } from '../../core/ingest/apply-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { permutations } from '../support/orders.ts';
import { testContext } from '../support/context.ts';

const TZ = 'Asia/Shanghai';
const ctx: NormalizeContext = { tz: TZ, hashPhone: (p) => `h${p}` };
let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

function m(raw: Record<string, unknown>): HotlineMilestone {
  const r = hotlineFeed.normalize(raw, ctx);
  if (!r.ok) throw new Error(r.errors.join('; '));
  return r.record;
}

async function applyOneByOne(prefix: string, records: HotlineMilestone[]) {
  const service = new ApplyService(testContext(redis, redisKeys(prefix), { tz: TZ }));
  let n = 0;
  for (const record of records) await service.applyBatch({ feed: 'hotline', batchId: `b${n++}`, receivedAt: 0, records: [record] });
}

const kpis = (prefix: string, now: number, from = '2022-03-01', to = '2022-03-31', groupBy?: string) =>
  new KpiService(testContext(redis, redisKeys(prefix), { tz: TZ, now: () => now }), ['hotline']).getKpis(from, to, groupBy);

const LATER = Date.UTC(2022, 5, 1);

describe('hotline cohorts and live figures', () => {
  const ticket = [
    m({ ticketId: 'P1', type: 'received', at: '2022-03-04T08:40:00+08:00', street: '文艺路街道', category: '城市管理' }),
    m({ ticketId: 'P1', type: 'signed', at: '2022-03-04T09:00:00+08:00', urgency: '普通', department: '区城管局' }),
    m({ ticketId: 'P1', type: 'responded', at: '2022-03-04T09:45:00+08:00' }),
    m({ ticketId: 'P1', type: 'completed', at: '2022-03-05T15:00:00+08:00' }),
    m({ ticketId: 'P1', type: 'visited', at: '2022-03-06T10:00:00+08:00', resolved: '是', satisfaction: '基本满意' }),
  ];

  it('gives the same figures and breakdowns for all 120 orders of one ticket’s milestones', async () => {
    const seen = new Set<string>();
    for (const order of permutations(ticket)) {
      const prefix = uniquePrefix();
      await applyOneByOne(prefix, order);
      const [total, byStreet, byDepartment] = await Promise.all([
        kpis(prefix, LATER),
        kpis(prefix, LATER, undefined, undefined, 'street'),
        kpis(prefix, LATER, undefined, undefined, 'department'),
      ]);
      seen.add(JSON.stringify([total, byStreet.groups, byDepartment.groups]));
    }
    expect(seen.size).toBe(1);
    const [figures] = JSON.parse([...seen][0]!) as [Awaited<ReturnType<typeof kpis>>];
    expect(figures.kpis['hotline.timelySignRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(figures.kpis['hotline.responseWithin1hRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(figures.kpis['hotline.onTimeCompletionRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(figures.kpis['hotline.complexScreenedWithin1dRate']).toMatchObject({ value: null, denominator: 0 });
    expect(figures.kpis['hotline.open']).toMatchObject({ value: 0 });
  });

  it('breaks every milestone down by the ticket’s street, whichever milestone carried it', async () => {
    const prefix = uniquePrefix();
    await applyOneByOne(prefix, [ticket[4]!, ticket[3]!, ticket[1]!, ticket[0]!]);
    const byStreet = await kpis(prefix, LATER, undefined, undefined, 'street');
    expect(byStreet.groups).toHaveLength(1);
    expect(byStreet.groups![0]!.key).toBe('文艺路街道');
    expect(byStreet.groups![0]!.kpis).toMatchObject({
      'hotline.signed': { value: 1 },
      'hotline.completed': { value: 1 },
      'hotline.resolutionRate': { value: 1 },
    });
  });

  it('settles a cohort rate when its later milestone arrives, on the day the ticket was signed', async () => {
    const prefix = uniquePrefix();
    await applyOneByOne(prefix, [
      m({ ticketId: 'R1', type: 'signed', at: '2022-03-31T23:30:00+08:00' }),
      m({ ticketId: 'R2', type: 'signed', at: '2022-03-10T10:00:00+08:00', urgency: 'complex' }),
      m({ ticketId: 'R2', type: 'responded', at: '2022-03-11T11:00:00+08:00' }), // 25 h: too late
    ]);
    expect((await kpis(prefix, LATER)).kpis['hotline.responseWithin1hRate']).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    // R1's response comes on 1 April, 40 minutes after signing: it settles March's cohort.
    await applyOneByOne(prefix, [m({ ticketId: 'R1', type: 'responded', at: '2022-04-01T00:10:00+08:00' })]);
    const march = (await kpis(prefix, LATER)).kpis;
    expect(march['hotline.responseWithin1hRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(march['hotline.complexScreenedWithin1dRate']).toMatchObject({ value: 0, numerator: 0, denominator: 1 });
    expect(march['hotline.responded']).toMatchObject({ value: 1 }); // R2's; R1's response counts in April
  });

  it('counts open and overdue tickets as of now, and an overdue ticket against on-time completion', async () => {
    const prefix = uniquePrefix();
    await applyOneByOne(prefix, [
      m({ ticketId: 'O1', type: 'signed', at: '2022-03-01T09:00:00+08:00' }), // default deadline: 5 days
      m({ ticketId: 'O2', type: 'signed', at: '2022-03-01T09:00:00+08:00', deadline: '2022-03-20T18:00:00+08:00' }),
      m({ ticketId: 'O3', type: 'signed', at: '2022-03-01T09:00:00+08:00' }),
      m({ ticketId: 'O3', type: 'completed', at: '2022-03-02T09:00:00+08:00' }),
    ]);
    const on10th = Date.UTC(2022, 2, 10);
    const k = (await kpis(prefix, on10th)).kpis;
    expect(k['hotline.open']).toMatchObject({ value: 2 });
    expect(k['hotline.overdue']).toMatchObject({ value: 1 });
    expect(k['hotline.onTimeCompletionRate']).toMatchObject({ numerator: 1, denominator: 2 });
    expect(k['hotline.supervised']).toMatchObject({ value: 1 });
    const after = (await kpis(prefix, Date.UTC(2022, 2, 21))).kpis;
    expect(after['hotline.overdue']).toMatchObject({ value: 2 });
  });

  it('counts a repeat call: the same caller and category within 30 days, whatever the arrival order', async () => {
    const prefix = uniquePrefix();
    await applyOneByOne(prefix, [
      m({ ticketId: 'C3', type: 'signed', at: '2022-03-25T09:00:00+08:00', callerPhone: '13800001111', category: '住房保障' }),
      m({ ticketId: 'C1', type: 'signed', at: '2022-03-02T09:00:00+08:00', callerPhone: '13800001111', category: '住房保障' }),
      m({ ticketId: 'C2', type: 'signed', at: '2022-03-05T09:00:00+08:00', callerPhone: '13800001111', category: '城市管理' }),
      m({ ticketId: 'C4', type: 'signed', at: '2022-05-20T09:00:00+08:00', callerPhone: '13800001111', category: '住房保障' }),
      // All completed on time, so that the only supervised kind left is the repeat call.
      ...['C1', 'C2', 'C3', 'C4'].map((ticketId) =>
        m({ ticketId, type: 'completed', at: '2022-05-21T09:00:00+08:00', deadline: '2022-06-30T00:00:00+08:00' }),
      ),
    ]);
    expect((await kpis(prefix, LATER)).kpis['hotline.supervised']).toMatchObject({ value: 1 });
    expect((await kpis(prefix, LATER, '2022-05-01', '2022-05-31')).kpis['hotline.supervised']).toMatchObject({ value: 0 });
  });
});
