import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateYear, type FeedRecord } from '../../scripts/simulator/year.ts';
import type { ProjectionResponse } from '../../shared/projection-types.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { dayTotals } from '../../bench/projection-day-totals.ts';
import { projectKpis } from '../../core/projection/project-kpis.ts';
import { SHIPPED_CALENDAR } from '../../shared/calendar/working-days.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';

/**
 * 预计全年 over HTTP (ANALYTICS.md): data after asOf is ignored, the year's targets give the status, bad
 * parameters are refused by name; and the working-day calendar an administrator replaces (audited).
 */

const YEAR = 2025;
const AS_OF = '2025-06-30';
const { feeds, expected } = generateYear({ year: YEAR, seed: 5, scale: 0.02 });
const dayOf = (r: FeedRecord) => String(r.at).slice(0, 10);
let app: TestApp;
let token: string;

async function call(method: string, path: string, body?: unknown, language = 'zh-CN'): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'accept-language': language },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function ingest(records: FeedRecord[], feed: 'hall' | 'evaluations'): Promise<void> {
  for (let i = 0; i < records.length; i += 5_000) await app.ingest(feed, records.slice(i, i + 5_000));
}
async function projection(query: string): Promise<ProjectionResponse> {
  const res = await call('GET', `/api/kpis/projection?${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as ProjectionResponse;
}

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  await ingest(
    feeds.hall.filter((r) => dayOf(r) <= AS_OF),
    'hall',
  );
  await ingest(
    feeds.evaluations.filter((r) => dayOf(r) <= AS_OF),
    'evaluations',
  );
  await app.waitIdle(token);
}, 120_000);
afterAll(() => app?.close());

describe('GET /api/kpis/projection', () => {
  it('ignores data after asOf: records ingested later leave the figure unchanged; after the year it is the actual figure', async () => {
    const before = await projection(`year=${YEAR}&asOf=${AS_OF}`);
    const count = before.kpis['evaluations.count']!;
    expect(count.value).toBeGreaterThan(0);
    expect(count.low!).toBeLessThanOrEqual(count.value!);
    expect(count.high!).toBeGreaterThanOrEqual(count.value!);
    expect(before.kpis['hall.taken']!.basis).toMatchObject({
      daysObserved: 181,
      calendar: true,
      previousYearProfile: false,
      method: 'pace',
    });
    expect(before.kpis['evaluations.positiveRate']!.value).toBeGreaterThan(0);

    await ingest(
      feeds.hall.filter((r) => dayOf(r) > AS_OF),
      'hall',
    );
    await ingest(
      feeds.evaluations.filter((r) => dayOf(r) > AS_OF),
      'evaluations',
    );
    await app.waitIdle(token);
    expect(await projection(`year=${YEAR}&asOf=${AS_OF}`)).toEqual(before);

    // The backtest's day totals, built in memory by the feeds' appliers, project exactly as the buckets do.
    const totals = dayTotals({ hall: feeds.hall, evaluations: feeds.evaluations }, YEAR);
    const inMemory = projectKpis({
      year: YEAR,
      asOf: AS_OF,
      feeds: {
        hall: { current: totals.hall!.slice(0, 181), previous: null },
        evaluations: { current: totals.evaluations!.slice(0, 181), previous: null },
      },
      calendar: SHIPPED_CALENDAR,
      settings: DEFAULT_SETTINGS,
      targets: null,
    });
    for (const id of Object.keys(inMemory)) expect([id, before.kpis[id]]).toEqual([id, inMemory[id]]);

    const after = await projection(`year=${YEAR}&asOf=${YEAR + 1}-01-10`);
    expect(after.kpis['evaluations.count']).toMatchObject({
      value: expected.kpis['evaluations.count'],
      low: expected.kpis['evaluations.count'],
      high: expected.kpis['evaluations.count'],
      basis: { method: 'actual', daysLeft: 0 },
    });
    expect(after.kpis['hall.taken']!.value).toBe(expected.kpis['hall.taken']);
    const none = await projection(`year=${YEAR + 1}&asOf=${YEAR}-12-31`);
    expect(none.kpis['evaluations.count']).toMatchObject({ value: null, basis: { reason: 'before_year' } });
  });

  it('gives each KPI with a target its status against the interval', async () => {
    const first = (await projection(`year=${YEAR}&asOf=${AS_OF}`)).kpis;
    const { value, low } = first['evaluations.count']!;
    const targets = {
      'evaluations.count': { target: Math.floor(low! / 2), direction: '>=' },
      'hall.taken': { target: 2 * first['hall.taken']!.high!, direction: '>=' },
      'evaluations.negative': { target: 1_000_000, direction: '<=' },
    };
    expect((await call('PUT', `/api/admin/targets/${YEAR}`, targets)).status).toBe(200);
    let kpis = (await projection(`year=${YEAR}&asOf=${AS_OF}`)).kpis;
    expect(kpis['evaluations.count']).toMatchObject({ target: Math.floor(low! / 2), status: 'on_track' });
    expect(kpis['hall.taken']!.status).toBe('off_track');
    expect(kpis['evaluations.negative']!.status).toBe('on_track');
    expect(kpis['evaluations.positiveRate']!.status).toBeUndefined();
    await call('PUT', `/api/admin/targets/${YEAR}`, { 'evaluations.count': { target: value, direction: '>=' } });
    kpis = (await projection(`year=${YEAR}&asOf=${AS_OF}`)).kpis;
    expect(kpis['evaluations.count']!.status).toBe('at_risk');
  });

  it('is quoted in the monthly report, one sentence per headline KPI, as of the month’s last day', async () => {
    const { kpis } = await projection(`year=${YEAR}&asOf=${AS_OF}`);
    const res = await call('GET', `/api/export/annual?from=${YEAR}-06-01&to=${AS_OF}&format=json`);
    expect(res.status).toBe(200);
    const { sentences } = (await res.json()) as { sentences: string[] };
    const count = kpis['evaluations.count']!;
    expect(sentences).toContain(
      `按当前进度，预计全年评价数约${count.value}条（80%区间${count.low}–${count.high}条），完成年度指标值存在风险。`,
    );
    const served = kpis['hall.servedMatters']!;
    expect(sentences).toContain(
      `按当前进度，预计全年接待政务服务事项件次约${served.value}件次（80%区间${served.low}–${served.high}件次）。`,
    );
    expect(sentences.filter((s) => s.startsWith('按当前进度'))).toHaveLength(3); // hall.servedMatters, evaluations.count and .positiveRate: the other feeds have no data
    const year = (await (await call('GET', `/api/export/annual?year=${YEAR}&format=json`)).json()) as { sentences: string[] };
    expect(year.sentences.some((s) => s.startsWith('按当前进度'))).toBe(false);
  });

  it('refuses a bad year or asOf by name, in the request’s language', async () => {
    const res = await call('GET', '/api/kpis/projection?year=20x5', undefined, 'en');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toBe('year must be YYYY (2000–2100)');
    const bad = await call('GET', `/api/kpis/projection?year=${YEAR}&asOf=2025-02-30`);
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'validation_failed',
      message: 'asOf 应为日期 YYYY-MM-DD（不填则为今天）：2025-02-30',
    });
  });
});

describe('/api/admin/calendar/:year', () => {
  it('serves the shipped year: the 2026 Spring Festival off, its 调休 Saturday on', async () => {
    const res = await call('GET', '/api/admin/calendar/2026');
    expect(res.status).toBe(200);
    const year = (await res.json()) as { status: string; holidays: string[]; workdays: string[] };
    expect(year.status).toBe('official');
    expect(year.holidays).toContain('2026-02-16');
    expect(year.workdays).toContain('2026-02-14');
  });

  it('names every bad date, saves nothing then, and audits a good replacement', async () => {
    const refused = await call(
      'PUT',
      '/api/admin/calendar/2026',
      { holidays: ['2026-02-30', '2025-12-31', '2026-05-02'], workdays: ['2026-03-02', '2026-05-02'] },
      'en',
    );
    expect(refused.status).toBe(400);
    const { error } = (await refused.json()) as { error: { details: string[] } };
    expect(error.details).toEqual([
      '2026-02-30 in holidays: not a date YYYY-MM-DD',
      '2025-12-31 in holidays: not in 2026',
      '2026-03-02 in workdays: not a Saturday or Sunday (a 调休 working day is a weekend day)',
      '2026-05-02 is in both holidays and workdays',
    ]);
    expect(((await (await call('GET', '/api/admin/calendar/2026')).json()) as { status: string }).status).toBe('official');

    const body = { holidays: ['2026-03-02'], workdays: ['2026-03-07'] };
    expect((await call('PUT', '/api/admin/calendar/2026', body)).status).toBe(200);
    expect(await (await call('GET', '/api/admin/calendar/2026')).json()).toEqual({ year: 2026, status: 'override', ...body });
    const audit = (await (await call('GET', '/api/admin/audit?limit=20')).json()) as { entries: { action: string; target: string }[] };
    expect(audit.entries.find((e) => e.action === 'calendar.replace')).toMatchObject({ target: '2026' });
  });
});
