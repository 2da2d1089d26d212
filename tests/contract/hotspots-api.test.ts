import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Hotspot, HotspotsResponse, LiveHotspot } from '../../shared/analytics/hotspots.ts';
import { createCoreContext } from '../../core/context.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { HotspotStore, type StoredHotspot } from '../../core/analytics/hotspot-store.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let admin: string;
let store: HotspotStore;
const displayToken = 'display-token-for-hotspot-tests-0123';

const send = (method: string, path: string, token: string, body?: unknown, lang?: string) =>
  fetch(`${app.baseUrl}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined && { 'content-type': 'application/json' }),
      ...(lang !== undefined && { 'accept-language': lang }),
    },
    ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });

const review = (id: string, body: unknown, token = admin, lang?: string) =>
  send('POST', `/api/hotline/hotspots/${id}/review`, token, body, lang);

const hotspot = (id: string, start: string, end: string | null, extra: Partial<StoredHotspot> = {}): StoredHotspot => ({
  id,
  category: '城市管理',
  street: '文艺路街道',
  start,
  end,
  raisedAt: start,
  observed: 12,
  expected: 0.4,
  score: 9.1,
  level: '红',
  ticketIds: ['T-1', 'T-2'],
  ...extra,
});

beforeAll(async () => {
  app = await startTestApp({}, { worker: false });
  admin = await app.login();
  const hash = createHash('sha256').update(displayToken).digest('hex');
  await app.redis.hset(app.keys.displayTokens(), hash, JSON.stringify({ name: 'lobby', createdAt: new Date().toISOString() }));
  store = new HotspotStore(
    createCoreContext({ redis: app.redis, keys: app.keys, log: createLogger('silent', 'test'), tz: 'Asia/Shanghai' }),
  );
  await store.save(
    [
      hotspot('H-MAR', '2026-03-04T01:00:00.000Z', '2026-03-05T03:00:00.000Z'),
      hotspot('H-APR', '2026-04-10T01:00:00.000Z', null, { category: undefined, street: '朝阳街道', level: '黄', score: 5.2 }),
      hotspot('H-JAN', '2026-01-02T01:00:00.000Z', '2026-01-02T09:00:00.000Z'),
    ],
    true,
  );
});
afterAll(async () => {
  await app?.close();
});

const list = async (query: string, token = admin) => {
  const res = await app.get(`/api/hotline/hotspots?${query}`, token);
  expect(res.status).toBe(200);
  return ((await res.json()) as HotspotsResponse).hotspots;
};

describe('GET /api/hotline/hotspots', () => {
  it('lists the hotspots active at some time in the period, by start, to managers and wall screens', async () => {
    expect((await list('from=2026-03-01&to=2026-04-30')).map((h) => h.id)).toEqual(['H-MAR', 'H-APR']);
    // H-MAR ended on 5 March (local): a period starting the 6th leaves it out; the active one stays in.
    expect((await list('from=2026-03-06&to=2026-12-31', displayToken)).map((h) => h.id)).toEqual(['H-APR']);
    const [mar] = await list('from=2026-03-05');
    expect(mar).toMatchObject({
      id: 'H-MAR',
      category: '城市管理',
      street: '文艺路街道',
      observed: 12,
      level: '红',
      ticketIds: ['T-1', 'T-2'],
    });
    expect(mar!.review).toEqual({ state: 'new' });
    const [apr] = await list('from=2026-04-10');
    expect(apr!.category).toBeUndefined();
    expect(apr!.end).toBeNull();
  });

  it('keeps each ticket list apart from its hotspot, and still reads a hotspot stored with its list inside', async () => {
    const [apart] = await app.redis.hmget(app.keys.hotspots(), 'H-MAR');
    expect(JSON.parse(apart!)).not.toHaveProperty('ticketIds');
    expect(JSON.parse((await app.redis.hget(app.keys.hotspotTickets(), 'H-MAR'))!)).toEqual(['T-1', 'T-2']);
    // Written by an earlier version: the list inside the hotspot's JSON, none apart.
    const legacy = hotspot('H-OLD', '2026-02-01T01:00:00.000Z', '2026-02-02T01:00:00.000Z', { ticketIds: ['T-9'] });
    await app.redis.hset(app.keys.hotspots(), 'H-OLD', JSON.stringify(legacy));
    await app.redis.zadd(app.keys.hotspotsByStart(), Date.parse(legacy.start), 'H-OLD');
    const [old] = await list('from=2026-02-01&to=2026-02-28');
    expect(old).toMatchObject({ id: 'H-OLD', ticketIds: ['T-9'] });
    await app.redis.hdel(app.keys.hotspots(), 'H-OLD');
    await app.redis.zrem(app.keys.hotspotsByStart(), 'H-OLD');
  });

  it('refuses a bad period with a specific message, and a caller without a token', async () => {
    const res = await send('GET', '/api/hotline/hotspots?from=2026-13-01', admin, undefined, 'en');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('`from`');
    expect((await fetch(`${app.baseUrl}/api/hotline/hotspots?from=2026-03-01`)).status).toBe(401);
  });
});

describe('POST /api/hotline/hotspots/:id/review', () => {
  it('acknowledges, assigns and closes, each audited, and then refuses more', async () => {
    let res = await review('H-APR', { action: 'acknowledge' });
    expect(res.status).toBe(200);
    expect(((await res.json()) as Hotspot).review).toMatchObject({ state: 'acknowledged', by: 'admin' });
    expect((await review('H-APR', { action: 'acknowledge' })).status).toBe(409);
    res = await review('H-APR', { action: 'assign', department: ' 区城管局 ' });
    expect(((await res.json()) as Hotspot).review).toMatchObject({ state: 'assigned', department: '区城管局' });
    res = await review('H-APR', { action: 'close', note: '已现场处置' });
    expect(((await res.json()) as Hotspot).review).toMatchObject({ state: 'closed', department: '区城管局', note: '已现场处置' });
    const closed = await review('H-APR', { action: 'assign', department: '区住建局' }, admin, 'en');
    expect(closed.status).toBe(409);
    expect(((await closed.json()) as { error: { message: string } }).error.message).toBe(
      'hotspot H-APR is closed; it cannot be reviewed again',
    );
    // The list shows the review; the detector rewriting the hotspot keeps it (stored apart).
    await store.save(
      [hotspot('H-APR', '2026-04-10T01:00:00.000Z', '2026-04-11T01:00:00.000Z', { street: '朝阳街道', category: undefined })],
      true,
    );
    expect((await list('from=2026-04-10'))[0]!.review).toMatchObject({ state: 'closed', note: '已现场处置' });

    const audit = (await (await app.get('/api/admin/audit?limit=50', admin)).json()) as {
      entries: { action: string; target: string; details?: Record<string, unknown> }[];
    };
    const entries = audit.entries.filter((e) => e.target === 'H-APR');
    expect(entries.map((e) => e.action).sort()).toEqual(['hotspot.acknowledge', 'hotspot.assign', 'hotspot.close']);
    expect(entries.find((e) => e.action === 'hotspot.close')!.details).toMatchObject({ street: '朝阳街道', note: '已现场处置' });
  });

  it('refuses bad bodies with specific messages, in Chinese by default', async () => {
    const cases: [unknown, string][] = [
      [[], '研判请求应为'],
      [{ action: 'escalate' }, 'action 应为 acknowledge'],
      [{ action: 'assign' }, '交办须填写承办部门'],
      [{ action: 'assign', department: '  ' }, '交办须填写承办部门'],
      [{ action: 'close', note: 3 }, '办结须填写研判说明'],
      [{ action: 'close', note: 'x'.repeat(1_001) }, 'note 至多 1000 个字'],
      [{ action: 'acknowledge', note: 'x' }, '研判请求不认识字段 note'],
    ];
    for (const [body, message] of cases) {
      const res = await review('H-MAR', body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toContain(message);
    }
    expect((await review('H-NONE', { action: 'acknowledge' })).status).toBe(404);
    expect((await review('H-MAR', { action: 'acknowledge' }, displayToken)).status).toBe(403);
    expect((await list('from=2026-03-05'))[0]!.review).toEqual({ state: 'new' });
  });
});

describe('live stream', () => {
  it('sends the active hotspots, without their ticket lists, on connect and again when a review changes them', async () => {
    await store.save([hotspot('H-LIVE', '2026-05-01T01:00:00.000Z', null)], true);
    const socket = app.connectLive(displayToken);
    const first = await new Promise<{ active: LiveHotspot[] }>((resolve) => socket.once('hotspots', resolve));
    expect(first.active.map((h) => h.id)).toEqual(['H-LIVE']);
    // The wall never shows the tickets (the console reads them from the API): a big surge is not sent to every wall.
    expect(first.active[0]).not.toHaveProperty('ticketIds');
    expect(first.active[0]).toMatchObject({ observed: 12, level: '红' });
    const next = new Promise<{ active: LiveHotspot[] }>((resolve) => socket.once('hotspots', resolve));
    await review('H-LIVE', { action: 'acknowledge' });
    expect((await next).active[0]!.review.state).toBe('acknowledged');
    socket.disconnect();
  });
});

describe('the monthly report', () => {
  it('lists the month’s hotspots with their 研判 in its own section, and a whole year’s report has none', async () => {
    const download = async (query: string) => {
      const res = await app.get(`/api/export/annual?${query}`, admin);
      expect(res.status).toBe(200);
      return Buffer.from(await res.arrayBuffer()).toString('utf8');
    };
    await review('H-MAR', { action: 'assign', department: '区城管局' });
    const md = await download('from=2026-03-01&to=2026-03-31&format=md');
    expect(md).toContain('## 未诉先办热点预警');
    // Local times (Asia/Shanghai): 01:00Z is 09:00.
    expect(md).toContain('| 城市管理 | 文艺路街道 | 3月4日 09:00 至 3月5日 11:00 | 12（0.4） | 红 | 已交办（区城管局） |');
    const json = JSON.parse(await download('from=2026-03-01&to=2026-03-31&format=json')) as { hotspots: Hotspot[] };
    expect(json.hotspots.map((h) => h.id)).toEqual(['H-MAR']);
    expect(await download('from=2026-02-01&to=2026-02-28&format=md')).toContain('本月未发现热点。');
    expect(await download('from=2026-01-01&to=2026-12-31&format=md')).not.toContain('未诉先办');
  });
});
