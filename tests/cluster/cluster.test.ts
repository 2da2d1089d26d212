import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResponse, KpisResponse } from '../../shared/api-types.ts';
import type { KpiValue } from '../../shared/kpis.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { FEEDS, generateYear, type Expectation, type FeedName, type FeedRecord } from '../../scripts/simulator/year.ts';
import { SUPPORTED_FEEDS } from '../../core/ingest/apply-service.ts';
import { rebuildAggregates, verifyAggregates, withIngestPaused } from '../../core/ledger/ledger-service.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';
import { startTestCluster, type TestCluster } from './redis-cluster.ts';

/**
 * Pulse on a Redis Cluster of three local masters (REDIS_URL=redis-cluster://…): the server, the
 * BullMQ workers and the KPI reader run unchanged; a generated year goes in over HTTP, every record
 * twice, and the figures equal the generator's own counts; verify and rebuild find zero difference.
 * A cross-slot script, pipeline or transaction would fail here (CROSSSLOT) where one Redis accepts it.
 */

const YEAR = 2022;
const SEED = 10_2022;
const MONTH = `${YEAR}-06`;
const { feeds, expected } = generateYear({ year: YEAR, seed: SEED, scale: 0.01, previousYear: true });

let cluster: TestCluster;
let app: TestApp;
let token: string;
const accepted: Partial<Record<FeedName, number>> = {};
const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };

async function kpis(from: string, to: string, groupBy?: string): Promise<KpisResponse & { groups?: { key: string }[] }> {
  const res = await app.get(`/api/kpis?from=${from}&to=${to}${groupBy ? `&groupBy=${groupBy}` : ''}`, token);
  if (res.status !== 200) throw new Error(`GET /api/kpis answered ${res.status}: ${await res.text()}`);
  return (await res.json()) as KpisResponse & { groups?: { key: string }[] };
}

function asExpected(actual: KpiValue | undefined, expectation: Expectation): unknown {
  if (typeof expectation === 'number') return actual?.value;
  return { numerator: actual?.numerator, denominator: actual?.denominator };
}

function compare(served: Record<string, KpiValue>, expectations: Record<string, Expectation>, feed: FeedName) {
  const ids = Object.keys(expectations).filter((id) => id.startsWith(`${feed}.`));
  return {
    served: Object.fromEntries(ids.map((id) => [id, asExpected(served[id], expectations[id]!)])),
    expected: Object.fromEntries(ids.map((id) => [id, expectations[id]])),
  };
}

async function waitIdle(timeoutMs = 90_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (((await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean }).idle) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('ingest did not become idle');
}

beforeAll(async () => {
  cluster = await startTestCluster(3);
  app = await startTestApp({ REDIS_URL: cluster.url });
  token = await app.login();
  for (const feed of FEEDS) {
    const twice: FeedRecord[] = [...feeds[feed], ...feeds[feed]];
    for (let i = 0; i < twice.length; i += 5_000) {
      const res = await fetch(`${app.baseUrl}/api/ingest/${feed}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events: twice.slice(i, i + 5_000) }),
      });
      if (res.status !== 202) throw new Error(`${feed}: ingest answered ${res.status}: ${await res.text()}`);
      const body = (await res.json()) as IngestResponse;
      accepted[feed] = (accepted[feed] ?? 0) + body.accepted;
    }
  }
  await waitIdle();
}, 180_000);

afterAll(async () => {
  await app?.close();
  await cluster?.stop();
});

describe('Pulse on a three-master Redis Cluster', () => {
  it('spreads its keys over the masters (the feeds and queues hash to different slots)', () => {
    const keysPerMaster = cluster.ports.map((port) =>
      Number(spawnSync('redis-cli', ['-p', String(port), 'dbsize'], { encoding: 'utf8' }).stdout.trim()),
    );
    expect(keysPerMaster.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
  });

  it.each(FEEDS)('accepts every %s record sent twice', (feed) => {
    expect(accepted[feed]).toBe(2 * feeds[feed].length);
  });

  it.each(FEEDS)('serves the year and month figures of %s the generator counted', async (feed) => {
    const year = compare((await kpis(`${YEAR}-01-01`, `${YEAR}-12-31`)).kpis, expected.kpis, feed);
    expect(Object.keys(year.expected).length).toBeGreaterThan(0);
    expect(year.served).toEqual(year.expected);
    const month = compare((await kpis(`${MONTH}-01`, `${MONTH}-30`)).kpis, expected.monthly[MONTH]!, feed);
    expect(month.served).toEqual(month.expected);
  });

  it('serves a breakdown and a daily series across the masters', async () => {
    const byStreet = await kpis(`${YEAR}-01-01`, `${YEAR}-12-31`, 'street');
    expect(byStreet.groups?.length ?? 0).toBeGreaterThan(0);
    const series = await app.get(
      `/api/kpis/series?ids=hall.servedMatters,hotline.signed&from=${MONTH}-01&to=${MONTH}-30&interval=day`,
      token,
    );
    expect(series.status, await series.clone().text()).toBe(200);
    expect(JSON.stringify(await series.json())).toContain('hall.servedMatters');
  });

  it('pushes a snapshot on the live stream', async () => {
    const socket = app.connectLive(token);
    const snapshot = await new Promise<{ kpis: Record<string, unknown> }>((resolve, reject) => {
      socket.once('snapshot', resolve);
      socket.once('connect_error', reject);
    });
    expect(Object.keys(snapshot.kpis).length).toBeGreaterThan(0);
  });

  it('verifies with zero difference, and again after a rebuild from the ledger', async () => {
    const verify = () =>
      withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, (pending) =>
        verifyAggregates(app.redis, app.keys, SUPPORTED_FEEDS, ctx, pending),
      );
    const before = await verify();
    for (const [feed, v] of Object.entries(before.feeds)) {
      expect({
        feed,
        differences: v.differenceCount,
        liveSets: v.liveSetDifferences,
        ledger: v.ledgerMatchesAccepted,
        records: v.records > 0,
      }).toEqual({
        feed,
        differences: 0,
        liveSets: 0,
        ledger: true,
        records: true,
      });
    }
    expect(before.ok).toBe(true);
    await withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, () =>
      rebuildAggregates(app.redis, app.keys, SUPPORTED_FEEDS, ctx),
    );
    expect((await verify()).ok).toBe(true);
    const year = compare((await kpis(`${YEAR}-01-01`, `${YEAR}-12-31`)).kpis, expected.kpis, 'hall');
    expect(year.served).toEqual(year.expected);
  });
});
