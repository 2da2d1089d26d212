import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import { generateToday } from '../../scripts/simulator/today.ts';
import { dropHallQueueCsv, isFootfall, pullConnectors, startUpstream, type Upstream } from '../../scripts/simulator/upstream.ts';
import { FEEDS, type FeedName, type FeedRecord } from '../../scripts/simulator/year.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

/**
 * `npm run demo` in pull mode (DEMO_MODE=pull) against push mode: the same generated day, once POSTed to
 * /api/ingest and once served by the simulator's upstream and a drop folder and fetched by Pulse's own
 * connectors (the connectors file the demo writes), ends in the same figures.
 */

// A fixed working day, 18:00 in Asia/Shanghai: both halls have been open, tickets are at every stage.
const NOW = Date.parse('2024-05-15T10:00:00Z');
const day = generateToday({ now: NOW, seed: 7, scale: 0.2 });
const PERIOD = `from=${day.date}&to=${day.date}`;
/** Connector interval: short, so the test is quick (the demo uses 2 s). */
const INTERVAL_SECONDS = 0.5;
/** Small pages, so the connectors follow several page tokens and then poll the last page for appends. */
const PAGE_SIZE = 100;

let pushed: TestApp;
let pulled: TestApp;
let pushedToken: string;
let pulledToken: string;
let upstream: Upstream;
const dirs: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function kpisOf(app: TestApp, token: string): Promise<KpisResponse['kpis']> {
  const res = await app.get(`/api/kpis?${PERIOD}`, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as KpisResponse).kpis;
}

async function idle(app: TestApp, token: string): Promise<boolean> {
  return ((await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean }).idle;
}

/**
 * Waits until the pulled side has settled: `ready()` holds, ingest is idle and the figures have not
 * changed over several connector intervals. Returns them.
 */
async function settled(ready: () => boolean, timeoutMs = 60_000): Promise<KpisResponse['kpis']> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  let sameFor = 0;
  while (Date.now() < deadline) {
    await sleep(INTERVAL_SECONDS * 1000);
    if (!ready() || !(await idle(pulled, pulledToken))) {
      sameFor = 0;
      continue;
    }
    const kpis = await kpisOf(pulled, pulledToken);
    const text = JSON.stringify(kpis);
    sameFor = text === last ? sameFor + 1 : 0;
    last = text;
    // Unchanged across 4 intervals (each connector has polled at least 3 times since), and idle.
    if (sameFor >= 4) return kpis;
  }
  throw new Error(`the pulled figures did not settle within ${timeoutMs} ms`);
}

/** Records of a feed split into what is there at start (today so far) and what comes later (as the live stream adds it). */
const split = (records: FeedRecord[]) =>
  [records.slice(0, Math.ceil(records.length * 0.6)), records.slice(Math.ceil(records.length * 0.6))] as const;

beforeAll(async () => {
  upstream = await startUpstream({ host: '127.0.0.1' });
  const dir = mkdtempSync(join(tmpdir(), 'pulse-demo-pull-'));
  dirs.push(dir);
  const connectorsFile = join(dir, 'demo-connectors.json');
  writeFileSync(
    connectorsFile,
    JSON.stringify(pullConnectors(upstream.url, join(dir, 'drop', 'hall'), { intervalSeconds: INTERVAL_SECONDS, pageSize: PAGE_SIZE })),
  );
  // The worker reads CONNECTORS_FILE from the environment at start: set for the pulling app only.
  const before = process.env.CONNECTORS_FILE;
  process.env.CONNECTORS_FILE = connectorsFile;
  try {
    pulled = await startTestApp({ DATA_DIR: dir });
  } finally {
    if (before === undefined) delete process.env.CONNECTORS_FILE;
    else process.env.CONNECTORS_FILE = before;
  }
  pushed = await startTestApp();
  [pushedToken, pulledToken] = await Promise.all([pushed.login(), pulled.login()]);
}, 60_000);

afterAll(async () => {
  await pulled?.close();
  await pushed?.close();
  await upstream?.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('npm run demo, pull mode', () => {
  it('ends in the same figures when the feeds are pulled from the upstream and a drop folder as when they are pushed', async () => {
    const dropDir = join(dirs[0]!, 'drop', 'hall');
    const doneCsv = () =>
      existsSync(join(dropDir, 'done')) ? readdirSync(join(dropDir, 'done')).filter((n) => n.endsWith('.csv')).length : 0;

    // Pushed: every record of the day over HTTP, as `npm run demo` does.
    for (const feed of FEEDS) {
      const records = day.feeds[feed];
      for (let i = 0; i < records.length; i += 5_000) await pushed.ingest(feed, records.slice(i, i + 5_000));
    }
    await pushed.waitIdle(pushedToken);
    const expected = await kpisOf(pushed, pushedToken);
    expect(expected['hotline.signed']?.value).toBeGreaterThan(0);
    expect(expected['hall.taken']?.value).toBeGreaterThan(0);
    expect(expected['evaluations.count']?.value).toBeGreaterThan(0);

    // Pulled, first part: the hall's queue log as a CSV in the drop folder (its footfall rows from the
    // upstream), 60 % of every other feed on the upstream.
    const queue = day.feeds.hall.filter((r) => !isFootfall(r));
    const [queueEarly, queueLate] = split(queue);
    const later = new Map<FeedName, FeedRecord[]>();
    for (const feed of FEEDS) {
      const [early, late] = split(feed === 'hall' ? day.feeds.hall.filter(isFootfall) : day.feeds[feed]);
      upstream.add(feed, early);
      later.set(feed, late);
    }
    expect(await dropHallQueueCsv(dropDir, `hall-queue-${day.date}`, queueEarly)).toHaveLength(1);
    await settled(() => doneCsv() === 1);

    // Then the rest, as the live stream would add it: appended to the upstream's lists (the connectors
    // see it on the page they poll again) and the rest of the queue log as JSON records, as live.ts sends them.
    for (const feed of FEEDS) upstream.add(feed, later.get(feed)!);
    upstream.add('hall', queueLate);
    const total = FEEDS.reduce((n, f) => n + day.feeds[f].length, 0);
    expect(FEEDS.reduce((n, f) => n + upstream.size(f), 0) + queueEarly.length).toBe(total);
    const actual = await settled(() => doneCsv() === 1);

    expect(readdirSync(dropDir).filter((n) => n.endsWith('.csv'))).toEqual([]);
    expect(existsSync(join(dropDir, 'failed'))).toBe(false);
    expect(actual).toEqual(expected);
  }, 150_000);
});
