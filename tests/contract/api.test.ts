import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import type { ApiErrorBody, IngestResponse, KpisResponse, SeriesResponse } from '../../shared/api-types.ts';
import type { Heartbeat, LiveMessage } from '../../shared/socket-events.ts';
import { localDayHour } from '../../shared/time.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let token: string;
const today = () => localDayHour(Date.now(), 'Asia/Shanghai').day;
const nowLocal = () => new Date().toISOString(); // an instant with Z: today in Shanghai as long as the test runs

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
});
afterAll(() => app.close());

function nextEvent<T>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

async function kpisToday(): Promise<KpisResponse['kpis']> {
  const res = await app.get(`/api/kpis?from=${today()}&to=${today()}`, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as KpisResponse).kpis;
}

describe('HTTP API', () => {
  it('reports health and Redis reachability without a token', async () => {
    const res = await fetch(`${app.baseUrl}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ status: 'ok', redis: { reachable: true } });
  });

  it('logs the admin in and refuses a wrong password with the error shape of API.md', async () => {
    const res = await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as ApiErrorBody).error.code).toBe('unauthorized');
  });

  it('refuses a client without a session before reading its body: 401, not 413, for a body over the limit', async () => {
    const big = JSON.stringify({ thresholds: {}, padding: 'x'.repeat(2 * 2 ** 20) });
    const put = (headers: Record<string, string>, body = big) =>
      fetch(`${app.baseUrl}/api/admin/alerts`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body });
    for (const headers of [{}, { authorization: 'Bearer not-a-session' }] as Record<string, string>[]) {
      const res = await put(headers);
      expect(res.status).toBe(401);
      expect(((await res.json()) as ApiErrorBody).error.code).toBe('unauthorized');
    }
    // Signed in, the 1 MB limit still holds; the login's own body is limited to a few KB.
    const signedIn = await put({ authorization: `Bearer ${token}` });
    expect(signedIn.status).toBe(413);
    expect(((await signedIn.json()) as ApiErrorBody).error).toMatchObject({
      code: 'payload_too_large',
      reason: 'http.body_too_large',
      message: '请求体超过 1 MB',
    });
    const login = await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ username: 'admin', password: 'x'.repeat(10_000) }),
    });
    expect(login.status).toBe(413);
    expect(((await login.json()) as ApiErrorBody).error.message).toBe('request body is over 8 KB');
  });

  it('refuses ingest without the ingest token, and KPIs without a bearer token', async () => {
    const ingest = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer nope' },
      body: JSON.stringify({ events: [] }),
    });
    expect(ingest.status).toBe(401);
    expect((await fetch(`${app.baseUrl}/api/kpis?from=2022-01-01`)).status).toBe(401);
    expect((await app.get('/api/kpis?from=2022-01-01', INGEST_TOKEN)).status).toBe(401);
  });

  it('accepts valid records, rejects each bad one with its index and reason, and counts duplicates once', async () => {
    const events = [
      { ticketId: 'A1', type: 'signed', at: '2022-06-01T09:00:00+08:00' },
      { ticketId: 'A1', type: 'teleported', at: '2022-06-01T09:00:00+08:00' },
      { ticketId: 'A1', type: 'completed', at: '2022-06-01T11:00:00+08:00' },
      { ticketId: 'A1', type: 'visited', at: '2022-06-01T12:00:00+08:00', resolved: '是', satisfaction: '满意' },
      { type: 'signed' },
    ];
    const first = await app.ingest('hotline', events);
    expect(first.accepted).toBe(3);
    expect(first.batchId).toEqual(expect.any(String));
    expect(first.rejected.map((r) => r.index)).toEqual([1, 4]);
    // No Accept-Language: the reason in Chinese, with its code and field.
    expect(first.rejected[0]!.errors[0]).toMatch(/^环节（type）：“teleported”/);
    expect(first.rejected[0]!.reasons[0]).toEqual({ code: 'record.not_in_list', field: 'type' });
    // The same request again, in another order: the figures do not move.
    await app.ingest('hotline', [...events].reverse());
    await app.waitIdle(token);
    const res = await app.get('/api/kpis?from=2022-06-01&to=2022-06-30', token);
    const body = (await res.json()) as KpisResponse;
    expect(body.period).toEqual({ from: '2022-06-01', to: '2022-06-30' });
    expect(body.kpis['hotline.signed']).toMatchObject({ value: 1 });
    expect(body.kpis['hotline.completed']).toMatchObject({ value: 1 });
    expect(body.kpis['hotline.visited']).toMatchObject({ value: 1 });
    expect(body.kpis['hotline.resolutionRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
    expect(body.kpis['hotline.satisfactionRate']).toMatchObject({ value: 1, numerator: 1, denominator: 1 });
  });

  it('accepts NDJSON and rejects a line that is not JSON by its index', async () => {
    const body = [
      JSON.stringify({ ticketId: 'N1', type: 'signed', at: '2022-06-02T09:00:00+08:00' }),
      '{"ticketId": "N2", ',
      JSON.stringify({ ticketId: 'N3', type: 'signed', at: '2022-06-02T10:00:00+08:00' }),
    ].join('\n');
    const res = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson', authorization: `Bearer ${INGEST_TOKEN}` },
      body,
    });
    expect(res.status).toBe(202);
    const result = (await res.json()) as IngestResponse;
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([
      { index: 1, errors: [expect.stringMatching(/^该行不是有效的 JSON/)], reasons: [{ code: 'record.bad_json_line' }] },
    ]);
  });

  it('answers 404 for an unknown feed and 400 for a body without events', async () => {
    const post = (path: string, body: string) =>
      fetch(`${app.baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body,
      });
    expect((await post('/api/ingest/weather', '{"events":[]}')).status).toBe(404);
    expect((await post('/api/ingest/hotline', '{"records":[]}')).status).toBe(400);
    expect((await post('/api/ingest/hotline', '{not json')).status).toBe(400);
  });

  it('answers every API call with Cache-Control: no-store, errors included', async () => {
    for (const res of [
      await fetch(`${app.baseUrl}/api/health`),
      await app.get('/api/kpis', 'not-a-token'),
      await app.get('/api/no-such-route', token),
    ]) {
      expect(res.headers.get('cache-control'), res.url).toBe('no-store');
    }
    expect((await app.get(`/api/kpis?from=${today()}`, token)).headers.get('cache-control')).toBe('no-store');
  });

  it('answers 400, not 500, for a bad percent-encoding and for multipart without a boundary', async () => {
    const badPath = await app.get('/api/imports/%E0%A4%A', token);
    expect(badPath.status).toBe(400);
    expect(((await badPath.json()) as ApiErrorBody).error.code).toBe('bad_request');
    const noBoundary = await fetch(`${app.baseUrl}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'multipart/form-data' },
      body: 'feed=hotline',
    });
    expect(noBoundary.status).toBe(400);
    expect(((await noBoundary.json()) as ApiErrorBody).error.message).toMatch(/boundary/i);
  });

  it('validates periods and serves hourly series', async () => {
    expect((await app.get('/api/kpis?from=2022-02-30', token)).status).toBe(400);
    expect((await app.get('/api/kpis?from=2022-03-02&to=2022-03-01', token)).status).toBe(400);
    const res = await app.get('/api/kpis/series?ids=hotline.signed&from=2022-06-01&to=2022-06-01&interval=hour', token);
    const series = (await res.json()) as SeriesResponse;
    expect(series.buckets).toHaveLength(24);
    expect(series.series['hotline.signed']!.map((v) => v.value)).toEqual(Array.from({ length: 24 }, (_, h) => (h === 9 ? 1 : 0)));
    const monthly = (await (
      await app.get('/api/kpis/series?ids=hotline.signed&from=2022-05-15&to=2022-06-30&interval=month', token)
    ).json()) as SeriesResponse;
    expect(monthly.buckets).toEqual(['2022-05-01', '2022-06-01']);
    expect(monthly.series['hotline.signed']!.map((v) => v.value)).toEqual([0, 3]);
  });

  it('reports ingest status per feed, idle once everything is applied', async () => {
    await app.waitIdle(token);
    const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean; feeds: Record<string, unknown> };
    expect(status.idle).toBe(true);
    expect(Object.keys(status.feeds).sort()).toEqual(['crossRegion', 'evaluations', 'hall', 'hotline', 'online']);
  });
});

describe('live stream', () => {
  it('refuses a socket without a valid token', async () => {
    const socket = app.connectLive('not-a-token');
    const err = await nextEvent<Error>(socket, 'connect_error');
    expect(err.message).toBe('unauthorized');
  });

  it('sends a snapshot, then a delta with the next seq when a record lands today, and a fresh snapshot on resync', async () => {
    await app.waitIdle(token);
    const socket = app.connectLive(token);
    const deltas: LiveMessage[] = [];
    socket.on('delta', (d: LiveMessage) => deltas.push(d));
    const snapshot = await nextEvent<LiveMessage>(socket, 'snapshot');
    expect(snapshot.seq).toBe(1);
    expect(snapshot.day).toBe(today());
    const signedBefore = snapshot.kpis['hotline.signed']!.value as number;

    await app.ingest('hotline', [{ ticketId: 'LIVE-1', type: 'signed', at: nowLocal() }]);
    await expect.poll(() => deltas.find((d) => d.kpis['hotline.signed']?.value === signedBefore + 1)).toBeDefined();
    const delta = deltas.find((d) => d.kpis['hotline.signed']?.value === signedBefore + 1)!;
    // Deltas continue the snapshot's seq one by one (live figures such as 在办 may move too).
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => 2 + i));
    expect(delta.kpis['hotline.visited']).toBeUndefined(); // only what changed

    // A heartbeat carries the seq of the last message without advancing it.
    const beat = await new Promise<{ seq: number; expected: number }>((resolve) =>
      socket.once('heartbeat', (h: Heartbeat) => resolve({ seq: h.seq, expected: 1 + deltas.length })),
    );
    expect(beat.seq).toBe(beat.expected);

    const resynced = new Promise<{ seq: number; expected: number; message: LiveMessage }>((resolve) =>
      socket.once('snapshot', (m: LiveMessage) => resolve({ seq: m.seq, expected: 2 + deltas.length, message: m })),
    );
    socket.emit('resync');
    const { seq, expected, message: fresh } = await resynced;
    expect(seq).toBe(expected);
    expect(fresh.kpis['hotline.signed']).toMatchObject({ value: signedBefore + 1 });
    expect((await kpisToday())['hotline.signed']).toMatchObject({ value: signedBefore + 1 });
  });

  it('coalesces a burst of batches into few deltas whose last one is exact', async () => {
    const socket = app.connectLive(token);
    const snapshot = await nextEvent<LiveMessage>(socket, 'snapshot');
    const start = snapshot.kpis['hotline.signed']!.value as number;
    const deltas: LiveMessage[] = [];
    const started = Date.now();
    let lastDeltaAt = started;
    socket.on('delta', (d: LiveMessage) => {
      deltas.push(d);
      lastDeltaAt = Date.now();
    });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => app.ingest('hotline', [{ ticketId: `BURST-${i}`, type: 'signed', at: nowLocal() }])),
    );
    await app.waitIdle(token);
    await new Promise((r) => setTimeout(r, 300));
    expect(deltas.length).toBeGreaterThan(0);
    // At most one delta per coalescing interval (LIVE_COALESCE_MS = 50 in tests), however many batches.
    expect(deltas.length).toBeLessThanOrEqual(Math.ceil((lastDeltaAt - started) / 50) + 1);
    expect(deltas.map((d) => d.seq)).toEqual(deltas.map((_, i) => snapshot.seq + 1 + i));
    // The figure a screen folding the deltas shows is exact (a later delta may carry only freshness or ticker items).
    expect(deltas.findLast((d) => d.kpis['hotline.signed'])!.kpis['hotline.signed']).toMatchObject({ value: start + 20 });
  });
});
