import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../shared/socket-events.ts';
import { hashPassword } from '../../core/services/auth-service.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let admin: string;
let robot: Server;
let robotUrl: string;
const robotMessages: unknown[] = [];

beforeAll(async () => {
  // A stand-in for the 企业微信 group robot: an outside HTTP endpoint that records what it receives.
  robot = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      robotMessages.push({ url: req.url, body: JSON.parse(body) });
      res.setHeader('content-type', 'application/json');
      res.end('{"errcode":0,"errmsg":"ok"}');
    });
  });
  await new Promise<void>((r) => robot.listen(0, '127.0.0.1', r));
  robotUrl = `http://127.0.0.1:${(robot.address() as AddressInfo).port}/cgi-bin/webhook/send?key=robot-key`;
  app = await startTestApp();
  admin = await app.login();
});
afterAll(async () => {
  await app?.close();
  await new Promise((r) => robot.close(r));
});

const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });

/** A manager's session (the user is written the way the users service stores one). */
async function managerToken(): Promise<string> {
  await app.redis.hset(
    app.keys.users(),
    'zhang',
    JSON.stringify({ role: 'manager', passwordHash: await hashPassword('manager-password-1') }),
  );
  return app.login('zhang', 'manager-password-1');
}

function nextEvent<T>(socket: Socket, event: string, timeoutMs = 5_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${timeoutMs} ms`)), timeoutMs);
    socket.once(event, (payload: T) => {
      clearTimeout(timer);
      resolve(payload);
    });
  });
}

/** Keeps the figures a client following snapshot + deltas would show. */
function follow(socket: Socket) {
  const view: { message: LiveMessage | null } = { message: null };
  socket.on('snapshot', (m: LiveMessage) => (view.message = { ...m, ticker: [...(m.ticker ?? [])] }));
  socket.on('delta', (d: LiveMessage) => {
    const m = view.message!;
    view.message = {
      ...m,
      ...d,
      kpis: { ...m.kpis, ...d.kpis },
      ticker: [...(d.ticker ?? []), ...(m.ticker ?? [])].slice(0, 20),
    };
  });
  return view;
}

describe('display tokens', () => {
  it('lets an admin create one that reads KPIs and the live stream, lists it, and revoking it disconnects its screen', async () => {
    const created = await send('POST', '/api/admin/display-tokens', admin, { name: '12345 中心大屏' });
    expect(created.status).toBe(201);
    const { id, token, wallUrl } = (await created.json()) as { id: string; token: string; wallUrl: string };
    expect(wallUrl).toContain(encodeURIComponent(token));

    expect((await app.get('/api/kpis?from=2026-01-01&to=2026-01-01', token)).status).toBe(200);
    expect((await app.get('/api/ingest/status', token)).status).toBe(403); // read-only: KPIs and the stream only
    expect((await send('POST', '/api/admin/display-tokens', token, { name: 'x' })).status).toBe(403);

    const socket = app.connectLive(token);
    await nextEvent(socket, 'snapshot');
    const listed = (await (await app.get('/api/admin/display-tokens', admin)).json()) as {
      items: { id: string; name: string; connected: number; lastSeenAt: string | null }[];
    };
    expect(listed.items.find((t) => t.id === id)).toMatchObject({ name: '12345 中心大屏', connected: 1 });
    expect(listed.items.find((t) => t.id === id)!.lastSeenAt).not.toBeNull();
    expect(JSON.stringify(listed)).not.toContain(token); // the clear token is shown once, at creation

    const disconnected = nextEvent<string>(socket, 'disconnect');
    expect((await send('DELETE', `/api/admin/display-tokens/${id}`, admin)).status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
    expect((await app.get('/api/kpis?from=2026-01-01&to=2026-01-01', token)).status).toBe(401);
    const again = app.connectLive(token);
    expect((await nextEvent<Error>(again, 'connect_error')).message).toBe('unauthorized');
    expect((await send('DELETE', `/api/admin/display-tokens/${id}`, admin)).status).toBe(404);

    const audit = (await (await app.get('/api/admin/audit?limit=10', admin)).json()) as { entries: { action: string }[] };
    expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(['display-token.create', 'display-token.revoke']));
  });

  it('refuses a nameless token, and a manager may neither create nor list them', async () => {
    expect((await send('POST', '/api/admin/display-tokens', admin, { name: '  ' })).status).toBe(400);
    const manager = await managerToken();
    expect((await send('POST', '/api/admin/display-tokens', manager, { name: 'x' })).status).toBe(403);
    expect((await app.get('/api/admin/display-tokens', manager)).status).toBe(403);
  });
});

describe('the wall’s live figures', () => {
  it('carries breakdowns, waiting by hall, feed freshness and a ticker without personal data', async () => {
    const socket = app.connectLive(admin);
    const view = follow(socket);
    const snapshot = await nextEvent<LiveMessage>(socket, 'snapshot');
    expect(snapshot.feeds?.online).toEqual({ lastRecordAt: null, silent: true }); // never sent: silent, not zero
    const now = new Date().toISOString();
    await app.ingest('hotline', [
      { ticketId: 'W-1', type: 'signed', at: now, street: '朝阳街道', category: '城市管理', callerPhone: '13800138000' },
      { ticketId: 'W-2', type: 'signed', at: now, street: '朝阳街道', category: '住房保障', callerPhone: '13900139000' },
      { ticketId: 'W-3', type: 'signed', at: now, street: '文艺路街道', category: '城市管理' },
      // a back-filled ticket of last month counts in its month, but is not news for the wall's ticker
      {
        ticketId: 'W-OLD',
        type: 'signed',
        at: new Date(Date.now() - 30 * 86_400_000).toISOString(),
        street: '补录街道',
        category: '城市管理',
      },
    ]);
    await app.ingest('hall', [
      { queueId: 'A001', type: 'taken', at: now, hall: '区政务服务大厅' },
      { queueId: 'A002', type: 'taken', at: now, hall: '区政务服务大厅' },
      { queueId: 'S001', type: 'taken', at: now, hall: '定王台街道24小时驿站' },
    ]);
    await app.waitIdle(admin);
    await expect.poll(() => view.message?.groups?.street?.['朝阳街道']?.['hotline.signed']?.value).toBe(2);
    await expect.poll(() => view.message?.waitingByHall).toEqual({ 区政务服务大厅: 2, 定王台街道24小时驿站: 1 });
    const m = view.message!;
    expect(m.groups?.category?.['城市管理']?.['hotline.signed']?.value).toBe(2);
    expect(m.feeds?.hotline?.silent).toBe(false);
    expect(m.ticker!.filter((t) => t.feed === 'hotline').map((t) => t.labels)).toEqual(
      expect.arrayContaining([
        ['朝阳街道', '城市管理'],
        ['文艺路街道', '城市管理'],
      ]),
    );
    expect(m.ticker!.flatMap((t) => t.labels)).not.toContain('补录街道');
    expect(JSON.stringify(m)).not.toMatch(/1380013|1390013|W-1/);
    expect(new Set(m.ticker!.map((t) => t.id)).size).toBe(m.ticker!.length);
    // Each item carries its event's time, an ISO instant with its offset.
    for (const item of m.ticker!) {
      expect(item.at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
      expect(new Date(item.at).getTime()).toBe(new Date(now).getTime());
    }
  });

  it('hides the robot URL’s credentials from managers: user and password, and its query', async () => {
    const url = 'https://bot:hunter2@qyapi.example.gov.cn/cgi-bin/webhook/send?key=robot-secret-key';
    expect((await send('PUT', '/api/admin/alerts', admin, { thresholds: {}, webhook: { kind: 'wecom', url } })).status).toBe(200);
    const seen = JSON.stringify(await (await app.get('/api/admin/alerts', await managerToken())).json());
    expect(seen).toContain('qyapi.example.gov.cn/cgi-bin/webhook/send');
    expect(seen).not.toMatch(/hunter2|bot:|robot-secret-key/);
    expect(JSON.stringify(await (await app.get('/api/admin/alerts', admin)).json())).toContain(url);
  });

  it('colours a KPI from the admin’s thresholds and tells the robot once when it turns red', async () => {
    const bad = await send('PUT', '/api/admin/alerts', admin, {
      thresholds: {
        'hotline.overdue': { direction: 'above', yellow: 5, orange: 2, red: 9 },
        'no.such': { direction: 'above', yellow: 1, orange: 2, red: 3 },
      },
      webhook: { kind: 'wecom', url: 'ftp://x' },
    });
    expect(bad.status).toBe(400);
    const details = ((await bad.json()) as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(details).toEqual(expect.arrayContaining(['thresholds.hotline.overdue', 'thresholds', 'webhook.url']));

    const put = await send('PUT', '/api/admin/alerts', admin, {
      thresholds: { 'hall.waitingNow': { direction: 'above', yellow: 4, orange: 5, red: 6 } },
      webhook: { kind: 'wecom', url: robotUrl },
    });
    expect(put.status).toBe(200);
    const seen = (await (await app.get('/api/admin/alerts', await managerToken())).json()) as { webhook: { url: string } };
    expect(seen.webhook.url).not.toContain('robot-key'); // the robot's key is a credential
    expect(JSON.stringify(await (await app.get('/api/admin/alerts', admin)).json())).toContain('robot-key');

    const socket = app.connectLive(admin);
    const view = follow(socket);
    await nextEvent(socket, 'snapshot');
    const now = new Date().toISOString();
    await app.ingest('hall', [{ queueId: 'A003', type: 'taken', at: now, hall: '区政务服务大厅' }]);
    await expect.poll(() => view.message?.alerts?.['hall.waitingNow']).toBe('yellow'); // 4 waiting
    await app.ingest('hall', [
      { queueId: 'A004', type: 'taken', at: now, hall: '区政务服务大厅' },
      { queueId: 'A005', type: 'taken', at: now, hall: '区政务服务大厅' },
    ]);
    await expect.poll(() => view.message?.alerts?.['hall.waitingNow']).toBe('red'); // 6 waiting
    await expect.poll(() => robotMessages.length).toBe(1);
    expect(robotMessages[0]).toMatchObject({ url: '/cgi-bin/webhook/send?key=robot-key', body: { msgtype: 'text' } });
    expect(JSON.stringify(robotMessages[0])).toContain('当前等候人数');

    await app.ingest('hall', [{ queueId: 'A006', type: 'taken', at: now, hall: '区政务服务大厅' }]);
    await expect.poll(() => view.message?.kpis['hall.waitingNow']?.value).toBe(7);
    await new Promise((r) => setTimeout(r, 300));
    expect(robotMessages).toHaveLength(1); // once a day per KPI, however long it stays red
  });

  it('counts waiting visitors by whole hall name when names and numbers contain |', async () => {
    const socket = app.connectLive(admin);
    const view = follow(socket);
    await nextEvent<LiveMessage>(socket, 'snapshot');
    const now = new Date().toISOString();
    const today = new Date(now).toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' });
    await app.ingest('hall', [
      // `甲|x` number `${today}|y` and `甲` number `x|${today}|y` made one member `甲|x|<day>|y`…
      { queueId: `${today}|y`, type: 'taken', at: now, hall: '甲|x' },
      { queueId: `x|${today}|y`, type: 'taken', at: now, hall: '甲' },
      { queueId: 'B1', type: 'taken', at: now, hall: '乙|2' },
    ]);
    await app.waitIdle(admin);
    // …and a hall name was cut at its first `|`.
    await expect.poll(() => view.message?.waitingByHall?.['乙|2']).toBe(1);
    expect(view.message?.waitingByHall).toMatchObject({ '甲|x': 1, 甲: 1, '乙|2': 1 });
    expect(view.message?.waitingByHall?.['乙']).toBeUndefined();
    socket.close();
  });
});

describe('a batch that touched no day of today', () => {
  let quiet: TestApp;
  // The heartbeat recomputes everything: kept slower than the test, only the batches can make it recompute.
  beforeAll(async () => (quiet = await startTestApp({ LIVE_HEARTBEAT_MS: '10000' })));
  afterAll(() => quiet?.close());

  // The heartbeat (every 10 s here) recomputes everything, as it must: live figures move with the clock. The history
  // batch is therefore sent right after a heartbeat's own recompute has gone out, and a window that a heartbeat fell
  // into after all (a slow machine) is tried again: only a recompute the batch caused can fail the test.
  it('sends the wall no KPI delta for last year’s ratings, only their feed’s freshness; a batch of today’s does', async () => {
    const token = await quiet.login();
    const socket = quiet.connectLive(token);
    const view = follow(socket);
    await nextEvent<LiveMessage>(socket, 'snapshot');
    const now = new Date();
    const today = now.toLocaleDateString('sv-SE', { timeZone: quiet.config.TZ_REPORT });
    const deltas: LiveMessage[] = [];
    socket.on('delta', (m: LiveMessage) => deltas.push(m));
    let heartbeats = 0;
    socket.on('heartbeat', () => (heartbeats += 1));

    const lastYear = new Date(now.getTime() - 365 * 86_400_000).toISOString();
    let clean = false;
    let signed = 0;
    for (let attempt = 1; attempt <= 3 && !clean; attempt++) {
      // Just after a heartbeat, its recompute flushed (coalesced to 50 ms): the next heartbeat is ~10 s away.
      await nextEvent(socket, 'heartbeat', 15_000);
      await new Promise((r) => setTimeout(r, 500));
      const seen = heartbeats;
      deltas.length = 0;
      // Today's figures change behind the live service's back: only a recompute can show them.
      await quiet.redis.hincrby(quiet.keys.dayBucket('hotline', today), 'signed', 5);
      signed += 5;
      // Ratings (no live set: an open hotline ticket of last year would count in today's live 督办 figures).
      await quiet.ingest('evaluations', [{ id: `E-OLD-${attempt}`, at: lastYear, rating: 5 }]);
      await quiet.waitIdle(token);
      await expect.poll(() => deltas.find((d) => d.feeds?.evaluations), { timeout: 8_000 }).toBeDefined();
      await new Promise((r) => setTimeout(r, 300)); // room for a recompute's delta, had the batch caused one
      if (heartbeats !== seen) continue; // a heartbeat's recompute may be in this window: try again
      clean = true;
      const historyDelta = deltas.find((d) => d.feeds?.evaluations)!;
      expect(historyDelta.feeds?.evaluations).toEqual({ lastRecordAt: expect.any(String), silent: false }); // the feed is alive again
      expect(historyDelta.lastRecordAt?.evaluations).toBe(historyDelta.feeds?.evaluations?.lastRecordAt);
      expect(deltas.flatMap((d) => Object.keys(d.kpis ?? {}))).toEqual([]); // no recompute
      expect(deltas.flatMap((d) => d.ticker ?? [])).toEqual([]); // last year's rating is no news
    }
    expect(clean, 'three windows in a row had a heartbeat in them').toBe(true);
    deltas.length = 0;

    await quiet.ingest('evaluations', [{ id: 'E-NEW', at: now.toISOString(), rating: 5 }]);
    await quiet.waitIdle(token);
    // The wall's figures as merged from every delta (a recompute's delta carries only what changed).
    await expect.poll(() => view.message?.kpis?.['hotline.signed']?.value, { timeout: 15_000 }).toBe(signed); // the figures were recomputed
    expect(deltas.flatMap((d) => d.ticker ?? [])).toHaveLength(1);
    socket.close();
  });
});
