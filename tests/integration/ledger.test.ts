import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { SUPPORTED_FEEDS } from '../../core/ingest/apply-service.ts';
import { rebuildAggregates, verifyAggregates, withIngestPaused } from '../../core/ledger/ledger-service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let token: string;
const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  const events = [];
  for (let t = 0; t < 40; t++) {
    const day = `2022-0${1 + (t % 9)}-1${t % 10}`;
    events.push({
      ticketId: `LG${t}`,
      type: 'received',
      at: `${day}T08:50:00+08:00`,
      street: '朝阳街道',
      callerPhone: `1380000${String(t % 7).padStart(4, '0')}`,
      category: '城市管理',
    });
    events.push({ ticketId: `LG${t}`, type: 'signed', at: `${day}T09:00:00+08:00`, urgency: t % 4 === 0 ? 'complex' : 'normal' });
    events.push({ ticketId: `LG${t}`, type: 'responded', at: `${day}T09:${t % 2 ? '30' : '59'}:00+08:00` });
    if (t % 3) events.push({ ticketId: `LG${t}`, type: 'completed', at: `${day}T16:00:00+08:00` });
    if (t % 3)
      events.push({ ticketId: `LG${t}`, type: 'visited', at: `${day}T18:00:00+08:00`, resolved: t % 5 !== 0, satisfaction: 'satisfied' });
  }
  await app.ingest('hotline', events);
  await app.ingest('hotline', [...events].reverse()); // duplicates
  await app.ingest('hotline', [{ ticketId: 'LG1', type: 'signed', at: '2022-02-11T10:00:00+08:00' }, { nope: true }]); // a conflict and a rejection
  await app.waitIdle(token);
});
afterAll(() => app.close());

const verify = () =>
  withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, (pending) =>
    verifyAggregates(app.redis, app.keys, SUPPORTED_FEEDS, ctx, pending),
  );

async function yearKpis() {
  return ((await (await app.get('/api/kpis?from=2022-01-01&to=2022-12-31', token)).json()) as KpisResponse).kpis;
}

describe('the ledger', () => {
  it('verifies with zero difference after ingest with duplicates, a conflict and a rejection', async () => {
    const report = await verify();
    expect(report.ok).toBe(true);
    const hotline = report.feeds.hotline!;
    expect(hotline.records).toBe(40 * 3 + 2 * 26);
    expect(hotline.differenceCount).toBe(0);
    const totals = hotline.days.reduce(
      (sum, d) => ({
        received: sum.received + d.stats.received,
        accepted: sum.accepted + d.stats.accepted,
        duplicate: sum.duplicate + d.stats.duplicate,
        conflict: sum.conflict + d.stats.conflict,
        rejected: sum.rejected + d.stats.rejected,
      }),
      { received: 0, accepted: 0, duplicate: 0, conflict: 0, rejected: 0 },
    );
    expect(totals).toEqual({ received: 2 * 172 + 2, accepted: 172, duplicate: 172, conflict: 1, rejected: 1 });
  });

  it('finds a tampered aggregate, and rebuild restores the figures from the ledger alone', async () => {
    const before = await yearKpis();
    await app.redis.hincrby(app.keys.dayBucket('hotline', '2022-03-12'), 'signed', 5);
    const tampered = await verify();
    expect(tampered.ok).toBe(false);
    expect(tampered.feeds.hotline!.differences).toContainEqual({ day: '2022-03-12', field: 'signed', live: 6, recomputed: 1 });

    // Lose every aggregate, then rebuild.
    const buckets = (await Promise.all(app.keys.dayBucketPatterns('hotline').map((p) => app.redis.keys(p)))).flat();
    await app.redis.del(...buckets, app.keys.liveSet('hotline', 'open'), app.keys.liveSet('hotline', 'callers'));
    await withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, () =>
      rebuildAggregates(app.redis, app.keys, SUPPORTED_FEEDS, ctx),
    );
    expect(await yearKpis()).toEqual(before);
    expect((await verify()).ok).toBe(true);
  });

  it('leaves ingest running after verify and rebuild', async () => {
    await app.ingest('hotline', [{ ticketId: 'AFTER', type: 'signed', at: '2022-12-01T09:00:00+08:00' }]);
    await app.waitIdle(token);
    expect((await yearKpis())['hotline.signed']!.value).toBe(41);
  });
});
