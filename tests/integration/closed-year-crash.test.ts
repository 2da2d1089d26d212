import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { Redis } from 'ioredis';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { ApplyService, type IngestJobData } from '../../core/ingest/apply-service.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { ClosedYearService, type YearExporter } from '../../core/services/closed-year/closed-year-service.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { testContext } from '../support/context.ts';

/**
 * A close that dies after the frozen copy (here: its export fails) leaves the year open — figures live, nothing
 * counted as late — and the next close starts afresh: the copy is replaced and late records count from it.
 */

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

let batch = 0;
function job(ticketId: string, day: string): IngestJobData {
  const raw = { ticketId, type: 'signed', at: `${day}T09:00:00+08:00`, street: '文艺路街道', urgency: 'normal' };
  const result = FEED_MODULES.hotline.normalize(raw, { tz: 'Asia/Shanghai', hashPhone: (p) => p });
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return { feed: 'hotline', batchId: `b${++batch}`, receivedAt: Date.now(), records: [result.record], received: 1, rejected: 0 };
}

describe('a close that dies after its copy', () => {
  it('leaves the year open, and the next close replaces the copy and counts late records from it', async () => {
    const ctx = testContext(redis, redisKeys(uniquePrefix()));
    const apply = new ApplyService(ctx);
    const kpis = new KpiService(ctx, ['hotline']);
    const signed = async () => (await kpis.getKpis('2022-01-01', '2022-12-31')).kpis['hotline.signed']!.value;
    const audit = { record: () => Promise.resolve() };
    const crashing: YearExporter = () => Promise.reject(new Error('the process died while writing the export'));
    const working: YearExporter = () => Promise.resolve([{ format: 'md', data: Buffer.from('# 2022') }]);
    const paused = (work: () => Promise<void>) => work();

    await apply.applyBatch(job('T-1', '2022-05-01'));
    await expect(new ClosedYearService(ctx, ['hotline'], {}, crashing, audit, paused).close(2022, 'admin')).rejects.toThrow('died');
    const years = new ClosedYearService(ctx, ['hotline'], {}, working, audit, paused);
    expect(await years.status(2022)).toEqual({ year: 2022, closed: false, adjustments: { records: 0, kpis: {} } });

    await apply.applyBatch(job('T-2', '2022-05-02')); // after the dead close: the year is open, so it counts
    expect(await signed()).toBe(2);

    const closed = await years.close(2022, 'admin');
    expect(closed).toMatchObject({ closed: true, adjustments: { records: 0, kpis: {} } });
    await apply.applyBatch(job('T-3', '2022-05-03'));
    expect(await signed()).toBe(2);
    expect((await years.status(2022)).adjustments).toEqual({ records: 1, kpis: { 'hotline.signed': { published: 2, current: 3 } } });
    expect(await years.storedExport(2022, ['md'])).toEqual(new Map([['md', Buffer.from('# 2022')]]));
  });

  it('writes its export from the copy, even while another year is closed and batches land meanwhile', async () => {
    const ctx = testContext(redis, redisKeys(uniquePrefix()));
    const apply = new ApplyService(ctx);
    const audit = { record: () => Promise.resolve() };
    const paused = (work: () => Promise<void>) => work();
    const rate = async (kpis: KpiService) =>
      JSON.stringify((await kpis.getKpis('2022-01-01', '2022-12-31')).kpis['hotline.onTimeCompletionRate']);
    await apply.applyBatch(job('T-1', '2022-05-01')); // never completed: overdue, in 按时办结率's denominator
    const empty: YearExporter = () => Promise.resolve([]);
    await new ClosedYearService(ctx, ['hotline'], {}, empty, audit, paused).close(2021, 'admin');
    // The export is written after the copy; a batch completing T-1 lands in between.
    const exporter: YearExporter = async (_frozenCtx, kpis) => {
      const raw = { ticketId: 'T-1', type: 'completed', at: '2022-05-02T09:00:00+08:00' };
      const done = FEED_MODULES.hotline.normalize(raw, { tz: 'Asia/Shanghai', hashPhone: (p) => p });
      if (!done.ok) throw new Error('bad record');
      await apply.applyBatch({
        feed: 'hotline',
        batchId: 'between',
        receivedAt: Date.now(),
        records: [done.record],
        received: 1,
        rejected: 0,
      });
      return [{ format: 'json', data: Buffer.from(await rate(kpis)) }];
    };
    const years = new ClosedYearService(ctx, ['hotline'], {}, exporter, audit, paused);
    await years.close(2022, 'admin');
    const published = await rate(new KpiService(ctx, ['hotline']));
    expect(JSON.parse(published)).toMatchObject({ value: 0, denominator: 1 });
    expect((await years.storedExport(2022, ['json']))!.get('json')!.toString()).toBe(published);
  });
});
