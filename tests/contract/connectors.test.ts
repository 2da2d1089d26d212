import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import express from 'express';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import { connectorQueueName, parseConnectors, type ConnectorHealthView, type FeedHealthResponse } from '../../core/connectors/config.ts';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { bullConnection } from '../../core/platform/queues.ts';
import { connectRedis } from '../../core/platform/redis.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { localDayHour } from '../../shared/time.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { feedHealthRoutes } from '../../server/routes/feed-health.ts';
import { AuthService } from '../../core/services/auth-service.ts';
import { FeedHealthService } from '../../core/services/feed-health-service.ts';
import { ImportService } from '../../core/imports/import-service.ts';
import { IngestService } from '../../core/ingest/ingest-service.ts';
import { getOrCreateSecret } from '../../core/services/secrets.ts';
import { SUPPORTED_FEEDS } from '../../core/ingest/apply-service.ts';
import type { DropFileResult } from '../../core/connectors/folder-connector.ts';
import { startConnectors, type RunningConnectors } from '../../workers/connectors.ts';
import { verifyAggregates, withIngestPaused } from '../../core/ledger/ledger-service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { startFakeUpstream, type FakeUpstream } from '../support/fake-upstream.ts';
import { testContext } from '../support/context.ts';

const log = createLogger('silent', 'test');
const SECRET = 'sekrit-upstream-token';
let app: TestApp;
let token: string;
let redis: Redis;
let ingest: IngestService;
let imports: ImportService;
let upstream: FakeUpstream;
let healthServer: Server;
let healthUrl: string;
const running: RunningConnectors[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  const url = app.config.REDIS_URL!;
  // The worker process's side, as workers/worker-process.ts wires it: its own connection and services.
  redis = connectRedis(url, 'blocking', 'test-connectors');
  const piiKey = await getOrCreateSecret(redis, app.keys, 'pii-key');
  const ctx = testContext(redis, app.keys, { tz: app.config.TZ_REPORT });
  ingest = new IngestService(ctx, url, app.config, piiKey.value);
  imports = new ImportService(ctx, ingest);
  upstream = await startFakeUpstream();
  const healthApp = express();
  healthApp.use(
    '/api',
    feedHealthRoutes(
      new FeedHealthService(testContext(redis, app.keys, { tz: app.config.TZ_REPORT })),
      new AuthService(testContext(redis, app.keys), 3_600),
    ),
  );
  healthApp.use(errorHandler(log));
  healthServer = healthApp.listen(0, '127.0.0.1');
  await new Promise((r) => healthServer.once('listening', r));
  healthUrl = `http://127.0.0.1:${(healthServer.address() as AddressInfo).port}/api/feeds/health`;
});

afterEach(async () => {
  await Promise.all(running.splice(0).map((c) => c.close()));
});

afterAll(async () => {
  await Promise.all(running.splice(0).map((c) => c.close()));
  await new Promise((r) => healthServer.close(r));
  await upstream.close();
  await imports.drain();
  await ingest.close();
  redis.disconnect();
  await app.close();
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Starts connectors as a worker process would, from entries of a connectors file. */
function start(entries: Record<string, unknown>[], options: { now?: () => number } = {}): RunningConnectors {
  const connectors = parseConnectors({ connectors: entries }, { env: { TEST_UPSTREAM_TOKEN: SECRET } });
  const handle = startConnectors(app.config, app.config.REDIS_URL!, redis, log, ingest, imports, { connectors, ...options });
  running.push(handle);
  return handle;
}

/** An HTTP connector entry with quick retries; scheduled hourly, so runs come from runNow (and the first scheduled run at start). */
const http = (id: string, feed: FeedName, path: string, rest: Record<string, unknown>) => ({
  id,
  kind: 'http',
  feed,
  url: `${upstream.baseUrl}${path}`,
  intervalSeconds: 3_600,
  retry: { attempts: 3, backoffSeconds: 0.05 },
  ...rest,
});

async function kpis(from: string, to: string, groupBy?: string, on: TestApp = app, bearer = token) {
  const res = await on.get(`/api/kpis?from=${from}&to=${to}${groupBy ? `&groupBy=${groupBy}` : ''}`, bearer);
  return (await res.json()) as KpisResponse & { groups?: { key: string; kpis: KpisResponse['kpis'] }[] };
}

async function feedHealth(): Promise<FeedHealthResponse> {
  const res = await fetch(healthUrl, { headers: { authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as FeedHealthResponse;
}
const connectorHealth = async (id: string): Promise<ConnectorHealthView> => (await feedHealth()).connectors.find((c) => c.id === id)!;

/** Today's ingest statistics of a feed (the day the server receives in). */
async function todayStats(feed: FeedName): Promise<{ received: number; rejected: number; accepted: number; duplicate: number }> {
  const raw = await redis.hgetall(app.keys.ingestStats(feed, localDayHour(Date.now(), app.config.TZ_REPORT).day));
  const n = (field: string) => Number(raw[field] ?? 0);
  return { received: n('received'), rejected: n('rejected'), accepted: n('accepted'), duplicate: n('duplicate') };
}

// ── 12345 tickets, their milestones spread over pages out of order ───────────────────────────────────

type Milestone = { ticketId: string; type: string; at: string } & Record<string, unknown>;
const T = (ticketId: string, type: string, at: string, extra: Record<string, unknown> = {}): Milestone => ({
  ticketId,
  type,
  at: `2022-05-${at}:00+08:00`,
  ...extra,
});
const TICKETS = {
  t1Received: T('T1', 'received', '03T08:50', { callerPhone: '13800001111', category: '城市管理' }),
  t1Signed: T('T1', 'signed', '03T09:00', { urgency: 'normal', street: '文艺路街道', category: '城市管理' }),
  t1Responded: T('T1', 'responded', '03T09:30'),
  t1Completed: T('T1', 'completed', '04T16:00'),
  t1Visited: T('T1', 'visited', '05T10:00', { resolved: true, satisfaction: 'satisfied' }),
  t2Signed: T('T2', 'signed', '06T10:00', { urgency: 'complex', street: '朝阳街道' }),
  t2Responded: T('T2', 'responded', '06T15:00'),
  t2Completed: T('T2', 'completed', '08T11:00'),
  t3Signed: T('T3', 'signed', '10T14:00', { urgency: 'normal', street: '文艺路街道' }),
  t3Responded: T('T3', 'responded', '10T16:00'),
  t4Received: T('T4', 'received', '12T09:00'),
  t4Signed: T('T4', 'signed', '12T09:05', { urgency: 'normal', street: '东湖街道' }),
  t4Completed: T('T4', 'completed', '13T10:00'),
  t4Visited: T('T4', 'visited', '14T09:00', { resolved: false, satisfaction: 'dissatisfied' }),
};
const k = TICKETS;
/** A ticket's completed (and visited) on page 1, its signed on page 2 or 3. */
const TICKET_PAGES: Milestone[][] = [
  [k.t1Completed, k.t2Completed, k.t4Visited, k.t1Visited],
  [k.t1Signed, k.t2Responded, k.t3Responded, k.t4Completed, k.t1Received],
  [k.t2Signed, k.t3Signed, k.t1Responded, k.t4Received, k.t4Signed],
];
const ZH_STEP: Record<string, string> = { received: '受理', signed: '签收', responded: '响应', completed: '办结', visited: '回访' };
/** How the 12345 platform writes a milestone: its own field names, nested ticket number, Chinese step labels. */
const asPlatformRecord = ({ ticketId, type, at, urgency, street, ...rest }: Milestone) => ({
  gd: { bh: ticketId },
  hj: ZH_STEP[type],
  clsj: at,
  ...(urgency !== undefined && { gdlx: urgency }),
  ...(street !== undefined && { ssjd: street }),
  ...rest, // category, callerPhone, resolved, satisfaction: the contract's own names, passed through
});

describe('HTTP pull connectors', () => {
  it('follows page tokens with an auth header and a field map, and records out of order across pages end in the same figures as pushed in order', async () => {
    upstream.route('/12345/tickets', ({ query, headers }) => {
      if (headers.authorization !== `Bearer ${SECRET}`) return { status: 401, body: 'bad token' };
      const page = Number((query.get('pageToken') ?? 'p0').slice(1));
      return {
        body: {
          code: 0,
          data: { list: TICKET_PAGES[page]!.map(asPlatformRecord), nextPageToken: page + 1 < TICKET_PAGES.length ? `p${page + 1}` : null },
        },
      };
    });
    const connectors = start([
      http('hotline-12345', 'hotline', '/12345/tickets', {
        auth: { in: 'header', prefix: 'Bearer ', value: 'env:TEST_UPSTREAM_TOKEN' },
        query: { pageSize: '5' },
        cursor: { kind: 'page', param: 'pageToken' },
        paging: { itemsPath: 'data.list', nextPath: 'data.nextPageToken' },
        fieldMap: { 'gd.bh': 'ticketId', hj: 'type', clsj: 'at', gdlx: 'urgency', ssjd: 'street' },
      }),
    ]);
    await connectors.runNow('hotline-12345');
    // Caught up: the last page is polled again for what is appended to it, and nothing on it is queued twice.
    const again = await connectors.runNow('hotline-12345');
    expect(again).toMatchObject({ pages: 1, received: 0, skipped: TICKET_PAGES[2]!.length, rejected: 0 });
    const asked = upstream.of('/12345/tickets').map((r) => r.query.get('pageToken'));
    expect(asked.slice(0, 3)).toEqual([null, 'p1', 'p2']);
    expect(new Set(asked.slice(3))).toEqual(new Set(['p2']));
    expect(upstream.of('/12345/tickets').every((r) => r.query.get('pageSize') === '5' && r.status === 200)).toBe(true);
    await app.waitIdle(token);

    // The same milestones pushed over HTTP in lifecycle order, to another Pulse.
    const reference = await startTestApp();
    try {
      await reference.ingest('hotline', Object.values(TICKETS));
      const referenceToken = await reference.login();
      await reference.waitIdle(referenceToken);
      const pulled = await kpis('2022-05-01', '2022-05-31', 'street');
      const pushed = await kpis('2022-05-01', '2022-05-31', 'street', reference, referenceToken);
      expect(pulled.kpis).toEqual(pushed.kpis);
      expect(pulled.groups).toEqual(pushed.groups);
      expect(pulled.kpis).toMatchObject({
        'hotline.signed': { value: 4 },
        'hotline.completed': { value: 3 },
        'hotline.visited': { value: 2 },
      });
      expect(pulled.groups!.find((g) => g.key === '文艺路街道')!.kpis).toMatchObject({
        'hotline.signed': { value: 2 },
        'hotline.completed': { value: 1 },
      });
    } finally {
      await reference.close();
    }
    const health = await connectorHealth('hotline-12345');
    expect(health).toMatchObject({ state: 'ok', consecutiveFailures: 0, fetchedToday: 14, lastError: null, kind: 'http', feed: 'hotline' });
    expect(health.lastSuccessAt).not.toBeNull();
  });

  it('changes no figure when the source serves a page twice or the cursor moves backwards', async () => {
    const rating = (n: number, r: number) => ({ pjbh: `E${n}`, pjsj: `2022-06-0${n}T10:00:00+08:00`, pjdj: r });
    const pages: Record<string, { items: unknown[]; next: string | null }> = {
      a: { items: [rating(1, 5), rating(2, 4), rating(3, 1)], next: 'b' },
      b: { items: [rating(1, 5), rating(2, 4), rating(3, 1)], next: 'c' }, // page a again, under another token
      c: { items: [rating(4, 5), rating(5, 2)], next: null },
    };
    upstream.route('/ratings', ({ query }) => ({ body: pages[query.get('cursor') ?? 'a'] }));
    const before = await todayStats('evaluations');
    const connectors = start([
      http('evaluations-twice', 'evaluations', '/ratings', {
        cursor: { kind: 'page', param: 'cursor' },
        paging: { itemsPath: 'items', nextPath: 'next' },
        fieldMap: { pjbh: 'id', pjsj: 'at', pjdj: 'rating' },
      }),
    ]);
    await connectors.runNow('evaluations-twice');
    await app.waitIdle(token);
    const june = { 'evaluations.count': { value: 5 }, 'evaluations.negative': { value: 2 } };
    expect((await kpis('2022-06-01', '2022-06-30')).kpis).toMatchObject(june);
    const afterTwice = await todayStats('evaluations');
    expect(afterTwice.received - before.received).toBe(8);
    expect(afterTwice.duplicate - before.duplicate).toBe(3);

    // The cursor goes back to the start (a restored backup, an operator's reset): everything again, all duplicates.
    await redis.set(app.keys.connectorCursor('evaluations-twice'), JSON.stringify({ value: 'a', seen: [] }));
    const replay = await connectors.runNow('evaluations-twice');
    expect(replay).toMatchObject({ pages: 3, received: 8, rejected: 0 });
    await app.waitIdle(token);
    expect((await kpis('2022-06-01', '2022-06-30')).kpis).toMatchObject(june);
    expect((await todayStats('evaluations')).duplicate - before.duplicate).toBe(3 + 8);
  });

  it('advances a since cursor by the records’ own time, with a query token, and re-reading from an old cursor changes no figure', async () => {
    const at = (hour: number) => `2022-07-04T0${hour}:00:00+08:00`;
    const row = (date: string, item: string, channel: string, count: number, hour: number) => ({
      rq: date,
      sxbm: item,
      qd: channel,
      bjl: count,
      updatedAt: at(hour),
    });
    const rows = [
      row('2022-07-01', 'A', 'pc', 10, 1),
      row('2022-07-01', 'A', 'mobile', 20, 1),
      row('2022-07-01', 'B', 'pc', 5, 2),
      row('2022-07-02', 'A', 'pc', 7, 3),
      row('2022-07-02', 'B', 'mobile', 3, 3),
      row('2022-07-03', 'A', 'window', 4, 4),
      row('2022-07-03', 'B', 'pc', 6, 5),
    ];
    upstream.route('/yiwang/volumes', ({ query }) => {
      if (query.get('access_token') !== SECRET) return { status: 401, body: 'bad token' };
      const since = query.get('updatedSince');
      const limit = Number(query.get('limit'));
      return { body: { rows: rows.filter((r) => since === null || r.updatedAt >= since).slice(0, limit) } };
    });
    const connectors = start([
      http('online-yiwang', 'online', '/yiwang/volumes', {
        auth: { in: 'query', name: 'access_token', value: 'env:TEST_UPSTREAM_TOKEN' },
        query: { limit: '3' },
        cursor: { kind: 'since', param: 'updatedSince', field: 'updatedAt' },
        paging: { itemsPath: 'rows' },
        fieldMap: { rq: 'date', sxbm: 'itemCode', qd: 'channel', bjl: 'count', updatedAt: 'asOf' },
      }),
    ]);
    await connectors.runNow('online-yiwang');
    const caughtUp = await connectors.runNow('online-yiwang');
    expect(caughtUp).toMatchObject({ pages: 1, received: 0 });
    expect(upstream.of('/yiwang/volumes').at(-1)!.query.get('updatedSince')).toBe(at(5));
    await app.waitIdle(token);
    expect((await kpis('2022-07-01', '2022-07-31')).kpis['online.volume']).toMatchObject({ value: 55 });
    expect((await connectorHealth('online-yiwang')).fetchedToday).toBe(7);

    // A correction of an earlier row appears at the source, newer than the cursor.
    rows.push(row('2022-07-01', 'A', 'mobile', 25, 6));
    expect(await connectors.runNow('online-yiwang')).toMatchObject({ received: 1 });
    await app.waitIdle(token);
    expect((await kpis('2022-07-01', '2022-07-31')).kpis['online.volume']).toMatchObject({ value: 60 });

    // Back to the start: the old count of A/mobile comes again, older (asOf) than its correction, and loses.
    await redis.set(app.keys.connectorCursor('online-yiwang'), JSON.stringify({ value: null, seen: [] }));
    expect(await connectors.runNow('online-yiwang')).toMatchObject({ received: 8 });
    await app.waitIdle(token);
    expect((await kpis('2022-07-01', '2022-07-31')).kpis['online.volume']).toMatchObject({ value: 60 });
  });

  const queueRecords = [1, 2, 3].flatMap((n) => [
    { queueId: `Q${n}`, type: 'taken', at: `2022-09-10T09:0${n}:00+08:00` },
    { queueId: `Q${n}`, type: 'called', at: `2022-09-10T09:1${n}:00+08:00`, window: `${n}号窗口` },
    { queueId: `Q${n}`, type: 'served', at: `2022-09-10T09:2${n}:00+08:00` },
  ]);

  it('recovers from an HTTP 500: the attempt is retried with backoff, the error is kept, the figures are whole', async () => {
    upstream.route('/queue/events', () => ({ body: { data: queueRecords, next: null } }));
    upstream.failNext('/queue/events', 1, 500);
    const connectors = start([
      http('hall-queue', 'hall', '/queue/events', {
        cursor: { kind: 'page', param: 'page' },
        paging: { itemsPath: 'data', nextPath: 'next' },
      }),
    ]);
    await connectors.runNow('hall-queue');
    expect(upstream.of('/queue/events').map((r) => r.status)).toContain(500);
    await expect
      .poll(() => connectorHealth('hall-queue'))
      .toMatchObject({
        state: 'ok',
        consecutiveFailures: 0,
        lastError: expect.stringMatching(/^HTTP 500 from http:\/\/127\.0\.0\.1:\d+\/queue\/events: upstream overloaded/),
      });
    await app.waitIdle(token);
    expect((await kpis('2022-09-10', '2022-09-10')).kpis).toMatchObject({ 'hall.taken': { value: 3 }, 'hall.servedMatters': { value: 3 } });
  });

  it('keeps the cursor before a page whose records could not be queued, and fetches that page again', async () => {
    const records = [1, 2].map((n) => ({ id: `Q${n}`, at: `2022-12-0${n}T10:00:00+08:00`, rating: 4 }));
    upstream.route('/unqueued', ({ query }) => ({
      body: query.get('page') === 'p1' ? { items: records, next: null } : { items: [], next: 'p1' },
    }));
    const refuse = vi
      .spyOn(ingest, 'enqueue')
      .mockRejectedValueOnce(new AppError('redis_unavailable', msg('http.redis_unavailable_nothing_accepted')));
    try {
      const connectors = start([
        http('evaluations-unqueued', 'evaluations', '/unqueued', {
          cursor: { kind: 'page', param: 'page' },
          paging: { itemsPath: 'items', nextPath: 'next' },
        }),
      ]);
      await connectors.runNow('evaluations-unqueued');
      await expect
        .poll(() => connectorHealth('evaluations-unqueued'))
        .toMatchObject({ state: 'ok', consecutiveFailures: 0, lastError: expect.stringMatching(/Redis is unreachable/) });
    } finally {
      refuse.mockRestore();
    }
    // Page p1 was fetched, refused on queueing, and fetched again from the cursor that had stayed on it.
    expect(upstream.of('/unqueued').filter((r) => r.query.get('page') === 'p1').length).toBeGreaterThanOrEqual(2);
    await app.waitIdle(token);
    expect((await kpis('2022-12-01', '2022-12-31')).kpis['evaluations.count']).toMatchObject({ value: 2 });
  });

  it('gives up a fetch after its timeout and gets the page on the retry', async () => {
    const cases = [1, 2].flatMap((n) => [
      { caseId: `C${n}`, type: 'received', at: `2022-10-0${n}T10:00:00+08:00`, partnerRegion: '湘潭市岳塘区', direction: 'outbound' },
      { caseId: `C${n}`, type: 'completed', at: `2022-10-0${n + 2}T10:00:00+08:00`, partnerRegion: '湘潭市岳塘区', direction: 'outbound' },
    ]);
    upstream.route('/cases', () => ({ body: cases }));
    upstream.stallNext('/cases', 1, 5_000);
    const connectors = start([
      http('cross-region-slow', 'crossRegion', '/cases', { timeoutSeconds: 0.3, cursor: { kind: 'since', param: 'since', field: 'at' } }),
    ]);
    await connectors.runNow('cross-region-slow');
    await expect
      .poll(() => connectorHealth('cross-region-slow'))
      .toMatchObject({ state: 'ok', consecutiveFailures: 0, lastError: expect.stringMatching(/within 0\.3 s \(timeout\)/) });
    await app.waitIdle(token);
    expect((await kpis('2022-10-01', '2022-10-31')).kpis).toMatchObject({
      'crossRegion.received': { value: 2 },
      'crossRegion.completed': { value: 2 },
    });
  });

  it('rejects a malformed record alone, counts it, and still advances past its page', async () => {
    const ok = (n: number) => ({ id: `R${n}`, at: `2022-08-0${n}T10:00:00+08:00`, rating: '满意' });
    const pages: Record<string, { items: unknown[]; next: string | null }> = {
      p0: { items: [ok(1), ok(2), { id: 'R3', at: '2022-08-03T10:00:00+08:00', rating: 9 }, ok(4)], next: 'p1' },
      p1: { items: [ok(5)], next: null },
    };
    upstream.route('/bad-page', ({ query }) => ({ body: pages[query.get('page') ?? 'p0'] }));
    const before = await todayStats('evaluations');
    const connectors = start([
      http('evaluations-bad', 'evaluations', '/bad-page', {
        cursor: { kind: 'page', param: 'page' },
        paging: { itemsPath: 'items', nextPath: 'next' },
      }),
    ]);
    await connectors.runNow('evaluations-bad');
    expect(upstream.of('/bad-page').map((r) => r.query.get('page'))).toContain('p1');
    await app.waitIdle(token);
    expect((await kpis('2022-08-01', '2022-08-31')).kpis['evaluations.count']).toMatchObject({ value: 4 });
    const after = await todayStats('evaluations');
    expect({
      received: after.received - before.received,
      rejected: after.rejected - before.rejected,
      accepted: after.accepted - before.accepted,
    }).toEqual({ received: 5, rejected: 1, accepted: 4 });
    const health = await connectorHealth('evaluations-bad');
    expect(health).toMatchObject({ state: 'ok', fetchedToday: 5 });
    // Stored as reasons, rendered for the reader (no Accept-Language: Chinese).
    expect(health.lastRejections).toEqual([
      { index: 2, errors: [expect.stringMatching(/^评价等级（rating）：/)], reasons: [{ code: expect.any(String), field: 'rating' }] },
    ]);
  });

  it('marks a connector that keeps failing as failing, stops retrying it quickly and slows its schedule; one success puts it back', async () => {
    let up = false;
    upstream.route('/down', () => (up ? { body: [] } : { status: 503, body: 'maintenance' }));
    const connectors = start([
      http('down', 'evaluations', '/down', {
        intervalSeconds: 0.2,
        expectedIntervalSeconds: 3_600,
        failAfter: 2,
        retry: { attempts: 2, backoffSeconds: 0.02 },
        maxFailingIntervalSeconds: 5,
        cursor: { kind: 'since', param: 'since', field: 'at' },
      }),
    ]);
    await expect(connectors.runNow('down')).rejects.toThrow(/HTTP 503 .*maintenance/);
    await expect
      .poll(
        async () => {
          const h = await connectorHealth('down');
          return h.state === 'failing' && h.currentIntervalSeconds >= 0.8;
        },
        { timeout: 10_000 },
      )
      .toBe(true);
    const queue = new Queue(connectorQueueName('down'), {
      connection: bullConnection(app.config.REDIS_URL!, 'command'),
      prefix: app.keys.queuePrefix(),
    });
    try {
      const failing = await connectorHealth('down');
      expect(failing.consecutiveFailures).toBeGreaterThanOrEqual(3);
      expect(failing.lastError).toMatch(/HTTP 503/);
      expect((await queue.getJobScheduler('down'))?.every).toBeGreaterThanOrEqual(800);
      // While failing, a failed attempt is not retried (2 attempts allowed, 1 made): the slowed schedule is the retry.
      expect((await queue.getFailed()).some((job) => job.attemptsMade === 1)).toBe(true);

      up = true;
      await connectors.runNow('down');
      expect(await connectorHealth('down')).toMatchObject({ state: 'ok', consecutiveFailures: 0, currentIntervalSeconds: 0.2 });
      expect((await queue.getJobScheduler('down'))?.every).toBe(200);
      expect(await queue.getJobSchedulersCount()).toBe(1);
    } finally {
      await queue.close();
    }
  });

  it('runs one schedule per connector across worker processes, never two fetches of a connector at once, never a page twice', async () => {
    const item = (n: number) => ({ id: `W${n}`, at: `2022-11-0${n}T10:00:00+08:00`, rating: 5 });
    const pages: Record<string, { items: unknown[]; next: string | null }> = {
      p0: { items: [item(1), item(2)], next: 'p1' },
      p1: { items: [item(3)], next: 'p2' },
      p2: { items: [item(4)], next: null },
    };
    // Each answer takes longer than the interval, so the next run is due while one is still fetching.
    upstream.route('/two', ({ query }) => ({ body: pages[query.get('page') ?? 'p0'] }), { delayMs: 250 });
    const entry = http('evaluations-shared', 'evaluations', '/two', {
      intervalSeconds: 0.2,
      cursor: { kind: 'page', param: 'page' },
      paging: { itemsPath: 'items', nextPath: 'next' },
    });
    // Two worker processes with the same connectors file, started together.
    start([entry]);
    start([entry]);
    await expect.poll(() => upstream.of('/two').length, { timeout: 15_000 }).toBeGreaterThanOrEqual(8);
    expect(upstream.maxInFlight('/two')).toBe(1);
    const asked = upstream.of('/two').map((r) => r.query.get('page'));
    expect(asked.filter((p) => p === null)).toHaveLength(1);
    expect(asked.filter((p) => p === 'p1')).toHaveLength(1);
    const queue = new Queue(connectorQueueName('evaluations-shared'), {
      connection: bullConnection(app.config.REDIS_URL!, 'command'),
      prefix: app.keys.queuePrefix(),
    });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
    } finally {
      await queue.close();
    }
    await app.waitIdle(token);
    expect((await kpis('2022-11-01', '2022-11-30')).kpis['evaluations.count']).toMatchObject({ value: 4 });
  });

  it('shows a source silent for longer than expected as silent, for the connector and its feed', async () => {
    upstream.route('/quiet', () => ({ body: { items: [], next: null } }));
    const connectors = start([
      http('cross-region-quiet', 'crossRegion', '/quiet', {
        expectedIntervalSeconds: 0.3,
        cursor: { kind: 'page', param: 'page' },
        paging: { itemsPath: 'items', nextPath: 'next' },
      }),
    ]);
    await connectors.runNow('cross-region-quiet');
    await expect
      .poll(() => connectorHealth('cross-region-quiet'), { timeout: 5_000 })
      .toMatchObject({ state: 'silent', consecutiveFailures: 0, lastDataAt: null });
    const health = await feedHealth();
    expect(health.feeds.crossRegion).toMatchObject({ state: 'silent', connectors: ['cross-region-quiet'] });
    expect(health.feeds.crossRegion.lastRecordAt).toEqual(expect.any(String)); // the timeout test's cases, applied earlier
    expect(health.feeds.hotline).toMatchObject({ state: null, connectors: [] });
    expect((await fetch(healthUrl)).status).toBe(401);
  });
});

describe('drop-folder connector', () => {
  it('imports a file once written completely, moves duplicates and bad files aside with their results', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pulse-drop-'));
    dirs.push(dir);
    // The folder's clock is the test's: a file becomes stable only when the test says time has passed.
    let clock = Date.now();
    const connectors = start(
      [
        {
          id: 'hall-drop',
          kind: 'folder',
          feed: 'hall',
          path: dir,
          intervalSeconds: 3_600,
          stableForSeconds: 60,
          retry: { attempts: 2, backoffSeconds: 0.05 },
        },
      ],
      { now: () => clock },
    );
    const header = '排队号,环节,时间,大厅,窗口\r\n';
    const body = [
      'A001,取号,2022-09-05 09:00:00,区政务服务大厅,',
      'A001,叫号,2022-09-05 09:10:00,区政务服务大厅,1号窗口',
      'A001,办结,2022-09-05 09:20:00,区政务服务大厅,1号窗口',
      'A002,取号,2022-09-05 09:05:00,区政务服务大厅,',
      'A002,叫号,2022-09-05 09:25:00,区政务服务大厅,2号窗口',
      'A002,办结,2022-09-05 09:40:00,区政务服务大厅,2号窗口',
      'A003,取号,2022-09-05 09:06:00,区政务服务大厅,',
      'A003,飞走,2022-09-05 09:30:00,区政务服务大厅,',
    ].join('\r\n');
    const full = `\uFEFF${header}${body}\r\n`;
    const file = join(dir, '叫号记录-0905.csv');
    const done = join(dir, 'done');
    const failed = join(dir, 'failed');

    // Half written: seen, not read.
    writeFileSync(file, full.slice(0, 90));
    expect(await connectors.runNow('hall-drop')).toMatchObject({ files: [] });
    appendFileSync(file, full.slice(90));
    expect(await connectors.runNow('hall-drop')).toMatchObject({ files: [] }); // it changed since: still not read
    expect(existsSync(done)).toBe(false);
    expect((await kpis('2022-09-05', '2022-09-05')).kpis['hall.taken']).toMatchObject({ value: 0 });

    // Unchanged for stableForSeconds: imported and moved to done/ with its result.
    clock += 61_000;
    expect((await connectors.runNow('hall-drop')).files).toEqual([
      { file: '叫号记录-0905.csv', status: 'imported', movedTo: join(done, '叫号记录-0905.csv') },
    ]);
    expect(readdirSync(dir).filter((n) => n.endsWith('.csv'))).toEqual([]);
    const result = JSON.parse(readFileSync(join(done, '叫号记录-0905.csv.result.json'), 'utf8')) as DropFileResult;
    expect(result).toMatchObject({
      status: 'imported',
      feed: 'hall',
      rowsRead: 8,
      rejectedRows: 1,
      counts: { accepted: 7, duplicate: 0 },
      rejected: [{ row: 9, errors: [expect.stringMatching(/飞走/)] }],
    });
    expect(readFileSync(join(done, '叫号记录-0905.csv'), 'utf8')).toBe(full);
    await app.waitIdle(token);
    const figures = { 'hall.taken': { value: 3 }, 'hall.servedMatters': { value: 2 } };
    expect((await kpis('2022-09-05', '2022-09-05')).kpis).toMatchObject(figures);

    // The same bytes under another name, and a file that is not an XLSX at all.
    writeFileSync(join(dir, 'copy-of-0905.csv'), full);
    writeFileSync(join(dir, 'broken.xlsx'), 'this is not a zip archive');
    expect(await connectors.runNow('hall-drop')).toMatchObject({ files: [] });
    clock += 61_000;
    expect((await connectors.runNow('hall-drop')).files?.map((f) => f.status).sort()).toEqual(['duplicate_file', 'failed']);
    const duplicate = JSON.parse(readFileSync(join(done, 'copy-of-0905.csv.result.json'), 'utf8')) as DropFileResult;
    expect(duplicate).toMatchObject({
      status: 'duplicate_file',
      sha256: result.sha256,
      duplicateOf: { file: '叫号记录-0905.csv', importId: result.importId },
    });
    const bad = JSON.parse(readFileSync(join(failed, 'broken.xlsx.result.json'), 'utf8')) as DropFileResult;
    expect(bad).toMatchObject({ status: 'failed', error: expect.any(String) });
    expect(existsSync(join(failed, 'broken.xlsx'))).toBe(true);
    await app.waitIdle(token);
    expect((await kpis('2022-09-05', '2022-09-05')).kpis).toMatchObject(figures);

    const health = await connectorHealth('hall-drop');
    expect(health).toMatchObject({
      kind: 'folder',
      state: 'ok',
      consecutiveFailures: 0,
      fetchedToday: 3,
      lastError: expect.stringMatching(/^broken\.xlsx: /),
    });
  });

  it('fails the run, not the files, when the folder is missing', async () => {
    const connectors = start([
      {
        id: 'nowhere-drop',
        kind: 'folder',
        feed: 'online',
        path: join(tmpdir(), 'pulse-no-such-folder-x7'),
        intervalSeconds: 3_600,
        failAfter: 5,
        retry: { attempts: 1, backoffSeconds: 0.05 },
      },
    ]);
    await expect(connectors.runNow('nowhere-drop')).rejects.toThrow(/cannot read the drop folder/);
    expect((await connectorHealth('nowhere-drop')).consecutiveFailures).toBeGreaterThanOrEqual(1);
  });
});

describe('after pulling', () => {
  it('verifies with zero difference: every figure equals its recomputation from the ledger and every record is accounted for', async () => {
    await Promise.all(running.splice(0).map((c) => c.close()));
    await app.waitIdle(token);
    const report = await withIngestPaused(app.config.REDIS_URL!, app.keys, SUPPORTED_FEEDS, (pending) =>
      verifyAggregates(app.redis, app.keys, SUPPORTED_FEEDS, { tz: app.config.TZ_REPORT, settings: DEFAULT_SETTINGS }, pending),
    );
    for (const feed of ['hotline', 'online', 'hall', 'crossRegion', 'evaluations'] as const) {
      const v = report.feeds[feed]!;
      expect({
        feed,
        differences: v.differenceCount,
        liveSets: v.liveSetDifferences,
        unbalanced: v.days.filter((d) => !d.balanced).length,
        ledgerMatchesAccepted: v.ledgerMatchesAccepted,
      }).toEqual({
        feed,
        differences: 0,
        liveSets: 0,
        unbalanced: 0,
        ledgerMatchesAccepted: true,
      });
      expect(v.records).toBeGreaterThan(0);
    }
    expect(report.ok).toBe(true);
  });
});
