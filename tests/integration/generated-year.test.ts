import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IngestResponse, KpisResponse } from '../../shared/api-types.ts';
import type { KpiValue } from '../../shared/kpis.ts';
import { Rng } from '../../scripts/simulator/random.ts';
import { FEEDS, generateYear, type Expectation, type FeedName, type FeedRecord } from '../../scripts/simulator/year.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { SUPPORTED_FEEDS } from '../../core/ingest/apply-service.ts';
import { verifyAggregates, withIngestPaused } from '../../core/ledger/ledger-service.ts';

/**
 * A generated year (scripts/simulator, an outside system that speaks only FEEDS.md) sent over HTTP the
 * way real senders would misbehave — every record twice, batches shuffled, two senders at once — must
 * produce exactly the figures the generator counted for itself, for the year and for one month.
 */

const YEAR = 2022;
const SEED = 20_221_231;
const MONTH = `${YEAR}-10`; // National Day week: the staffed halls close, the 24-hour stations do not
const BATCH_SIZE = 5_000;
const SENDERS = 2;
const IDLE_TIMEOUT_MS = 90_000;

const { feeds, expected } = generateYear({ year: YEAR, seed: SEED, scale: 0.05, previousYear: true });

interface Batch {
  feed: FeedName;
  events: FeedRecord[];
}

interface FeedResult {
  sent: number;
  accepted: number;
  /** The first few rejected records, with the reasons Pulse gave. */
  rejected: { record: FeedRecord; errors: string[] }[];
  rejectedCount: number;
  /** Requests refused whole: status and body, e.g. 404 'feed "hall" is not accepted yet'. */
  failures: string[];
}

/** Every record twice, shuffled within its feed, cut into batches of ≤ 5000, batches shuffled across feeds. */
function shuffledBatches(): Batch[] {
  const rng = Rng.for(SEED, 'generated-year.test');
  const batches: Batch[] = [];
  for (const feed of FEEDS) {
    const twice = rng.shuffle([...feeds[feed], ...feeds[feed]]);
    for (let i = 0; i < twice.length; i += BATCH_SIZE) batches.push({ feed, events: twice.slice(i, i + BATCH_SIZE) });
  }
  return rng.shuffle(batches);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** POSTs one batch; retries what API.md says senders retry (429 backlog, 503 Redis away). */
async function send(app: TestApp, batch: Batch, result: FeedResult): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const res = await fetch(`${app.baseUrl}/api/ingest/${batch.feed}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
      body: JSON.stringify({ events: batch.events }),
    });
    if ((res.status === 429 || res.status === 503) && attempt < 20) {
      await res.arrayBuffer();
      await sleep(Math.min(2_000, 1_000 * Number(res.headers.get('retry-after') ?? 0.2)));
      continue;
    }
    result.sent += batch.events.length;
    if (res.status !== 202) {
      result.failures.push(`${res.status} ${await res.text()}`);
      return;
    }
    const body = (await res.json()) as IngestResponse;
    result.accepted += body.accepted;
    result.rejectedCount += body.rejected.length;
    for (const r of body.rejected.slice(0, 5 - result.rejected.length))
      result.rejected.push({ record: batch.events[r.index]!, errors: r.errors });
    return;
  }
}

/** Polls /api/ingest/status until idle (the support helper's 10 s is short for a generated year). */
async function waitIdle(app: TestApp, token: string): Promise<void> {
  const deadline = Date.now() + IDLE_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean };
    if (status.idle) return;
    await sleep(100);
  }
  throw new Error(`ingest did not become idle within ${IDLE_TIMEOUT_MS / 1000} s`);
}

/** The served figure in the expectation's shape: a count's value, or a rate's numerator and denominator. */
function asExpected(actual: KpiValue | undefined, expectation: Expectation): unknown {
  if (typeof expectation === 'number') return actual?.value;
  return { numerator: actual?.numerator, denominator: actual?.denominator };
}

/** Served vs expected for the KPIs of one feed, as two objects whose diff names every mismatch. */
function compare(kpis: Record<string, KpiValue>, expectations: Record<string, Expectation>, feed: FeedName) {
  const ids = Object.keys(expectations).filter((id) => id.startsWith(`${feed}.`));
  return {
    served: Object.fromEntries(ids.map((id) => [id, asExpected(kpis[id], expectations[id]!)])),
    expected: Object.fromEntries(ids.map((id) => [id, expectations[id]])),
  };
}

let app: TestApp;
let token: string;
const results = Object.fromEntries(
  FEEDS.map((f): [FeedName, FeedResult] => [f, { sent: 0, accepted: 0, rejected: [], rejectedCount: 0, failures: [] }]),
) as Record<FeedName, FeedResult>;

const kpisByPeriod = new Map<string, Promise<Record<string, KpiValue>>>();

/** GET /api/kpis for a period, once per period (a year reads 365 day buckets per feed). */
function kpisFor(from: string, to: string): Promise<Record<string, KpiValue>> {
  const path = `/api/kpis?from=${from}&to=${to}`;
  let kpis = kpisByPeriod.get(path);
  if (!kpis) {
    kpis = app.get(path, token).then(async (res) => {
      if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return ((await res.json()) as KpisResponse).kpis;
    });
    kpisByPeriod.set(path, kpis);
  }
  return kpis;
}

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  const queue = shuffledBatches();
  let next = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      while (next < queue.length) {
        const batch = queue[next++]!;
        await send(app, batch, results[batch.feed]);
      }
    }),
  );
  await waitIdle(app, token);
}, 150_000);
afterAll(() => app?.close());

describe(`a generated year (${YEAR}, scale ${expected.scale}) sent twice, shuffled, by ${SENDERS} senders`, () => {
  it.each(FEEDS)('accepts every %s record the generator wrote, refusing none', (feed) => {
    const r = results[feed];
    expect(r.failures, `${feed}: requests refused whole`).toEqual([]);
    expect(r.rejected, `${feed}: records rejected (${r.rejectedCount} in all)`).toEqual([]);
    expect(r.accepted).toBe(2 * feeds[feed].length);
  });

  it.each(FEEDS)('serves the year figures of %s the generator counted', async (feed) => {
    const { served, expected: wanted } = compare(await kpisFor(`${YEAR}-01-01`, `${YEAR}-12-31`), expected.kpis, feed);
    expect(Object.keys(wanted).length).toBeGreaterThan(0);
    expect(served).toEqual(wanted);
  });

  it.each(FEEDS)(`serves the ${MONTH} figures of %s the generator counted`, async (feed) => {
    const [y, m] = MONTH.split('-').map(Number) as [number, number];
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    const { served, expected: wanted } = compare(await kpisFor(`${MONTH}-01`, `${MONTH}-${last}`), expected.monthly[MONTH]!, feed);
    expect(served).toEqual(wanted);
  });

  it('reports ingest idle once everything is applied', async () => {
    const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean };
    expect(status.idle).toBe(true);
  });

  it('verifies with zero difference: the live aggregates equal a recomputation from the ledger, every day balanced', async () => {
    const report = await withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, (pending) =>
      verifyAggregates(app.redis, app.keys, SUPPORTED_FEEDS, { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS }, pending),
    );
    for (const [feed, v] of Object.entries(report.feeds)) {
      expect({
        feed,
        differences: v.differenceCount,
        liveSets: v.liveSetDifferences,
        ledgerMatchesAccepted: v.ledgerMatchesAccepted,
      }).toEqual({
        feed,
        differences: 0,
        liveSets: 0,
        ledgerMatchesAccepted: true,
      });
      expect(v.days.filter((d) => !d.balanced)).toEqual([]);
      // Every record was sent twice: the second copies were recognised as duplicates.
      expect(
        v.days.reduce((sum, d) => sum + d.stats.duplicate, 0),
        feed,
      ).toBeGreaterThan(0);
    }
    expect(report.ok).toBe(true);
  });

  it('generated the magnitudes of the 2022 report, scaled', () => {
    // At scale 1 these are the report's own figures (scripts/simulator/README.md); here a twentieth.
    expect(expected.kpis['hotline.signed']).toBe(Math.round(3037 * expected.scale));
    expect(expected.kpis['online.volume']).toBe(Math.round(713_752 * expected.scale));
    expect(expected.kpis['hall.servedMatters']).toBe(Math.round(374_639 * expected.scale));
    expect(expected.previousYear?.onlineVolume).toBe(Math.round(38_383 * expected.scale));
  });
});
