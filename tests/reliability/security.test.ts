import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { LIVE_EVENTS_PER_WINDOW, type LiveRefusal } from '../../shared/socket-events.ts';
import { ADMIN_PASSWORD, INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({
    LOGIN_FAILURES_PER_USER_IP: '3',
    LOGIN_FAILURES_PER_IP: '6',
    INGEST_REQUESTS_PER_MINUTE: '4',
    ALLOWED_ORIGINS: 'https://wall.example.gov.cn',
  });
});
afterAll(() => app.close());

const login = (username: string, password: string, headers: Record<string, string> = {}) =>
  fetch(`${app.baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ username, password }),
  });

describe('login rate limits (kept in Redis)', () => {
  it('refuses a username after 3 failures from one address with 429 and Retry-After — even the right password — and audits it', async () => {
    for (let i = 0; i < 3; i++) expect((await login('admin', 'wrong-password')).status).toBe(401);
    const limited = await login('admin', ADMIN_PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as ApiErrorBody).error.code).toBe('rate_limited');
    expect((await app.redis.keys(`${app.keys.prefix}:rl:login-*`)).length).toBeGreaterThan(0);
    // Per address in all: 3 more failures for other names reach the per-address limit of 6.
    for (let i = 0; i < 3; i++) expect((await login(`nobody${i}`, 'x')).status).toBe(401);
    expect((await login('someone-else', 'x')).status).toBe(429);

    // All 8 refusals (6 wrong passwords, 2 limited) from this one address: one audit entry (two across an hour) counting them.
    const entries = await app.redis.xrange(app.keys.audit(), '-', '+');
    const failed = entries.map(([, f]) => f.join(' ')).filter((e) => e.includes('login.failed'));
    expect(failed.length).toBeGreaterThanOrEqual(1);
    expect(failed.length).toBeLessThanOrEqual(2);
    let refusals = 0;
    for (const key of await app.redis.keys(`${app.keys.prefix}:audit:login-refusals:*`))
      refusals += Number(await app.redis.hget(key, '127.0.0.1'));
    expect(refusals).toBe(8);
    // The window passes (here: the counters are cleared) and logins work again.
    for (const key of await app.redis.keys(`${app.keys.prefix}:rl:login-*`)) await app.redis.del(key);
    expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });

  it('checks at most the limit of 40 parallel wrong passwords: the rest are refused before the password is checked', async () => {
    const racer = await startTestApp({ LOGIN_FAILURES_PER_USER_IP: '10' }, { worker: false });
    try {
      const statuses = await Promise.all(
        Array.from({ length: 40 }, () =>
          fetch(`${racer.baseUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: 'wrong-password' }),
          }).then((r) => r.status),
        ),
      );
      expect(statuses.filter((s) => s === 401).length).toBe(10);
      expect(statuses.filter((s) => s === 429).length).toBe(30);
    } finally {
      await racer.close();
    }
  });
});

describe('ingest rate limit (per credential and address)', () => {
  it('answers 429 with Retry-After beyond the configured requests a minute', async () => {
    const post = () =>
      fetch(`${app.baseUrl}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
        body: JSON.stringify({ events: [{ ticketId: 'RL-1', type: 'signed', at: '2022-05-01T09:00:00+08:00' }] }),
      });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await post()).status);
    expect(statuses).toEqual([202, 202, 202, 202, 429]);
    const limited = await post();
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/);
  });
});

describe('ingest authentication comes before the body and the sender’s budget', () => {
  const postWith = (headers: Record<string, string>, body: string) =>
    fetch(`${app.baseUrl}/api/ingest/hotline`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  const record = JSON.stringify({ events: [{ ticketId: 'RL-2', type: 'signed', at: '2022-05-01T09:00:00+08:00' }] });

  it('refuses a wrong token or a malformed or stale signature with 401 without reading an over-10-MB body', async () => {
    const huge = JSON.stringify({
      events: [{ ticketId: 'X', type: 'signed', at: '2022-08-01T09:00:00', category: 'x'.repeat(11 * 1024 * 1024) }],
    });
    for (const key of await app.redis.keys(`${app.keys.prefix}:rl:ingest*`)) await app.redis.del(key);
    const wrongToken = await postWith({ authorization: 'Bearer not-the-ingest-token' }, huge);
    expect(wrongToken.status).toBe(401); // not 413: the body was never read
    const now = String(Math.floor(Date.now() / 1000));
    expect((await postWith({ 'x-pulse-timestamp': now, 'x-pulse-signature': 'md5=abc' }, huge)).status).toBe(401);
    const stale = String(Math.floor(Date.now() / 1000) - 301);
    expect((await postWith({ 'x-pulse-timestamp': stale, 'x-pulse-signature': `sha256=${'0'.repeat(64)}` }, huge)).status).toBe(401);
  });

  it('limits refused requests per address, and they never spend the ingest token’s budget', async () => {
    for (const key of await app.redis.keys(`${app.keys.prefix}:rl:ingest*`)) await app.redis.del(key);
    const statuses = [];
    // A different wrong token each time: the limit must not be keyed on whatever token is sent.
    for (let i = 0; i < 6; i++) statuses.push((await postWith({ authorization: `Bearer wrong-${i}` }, record)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 429, 429]);
    expect((await postWith({ authorization: `Bearer ${INGEST_TOKEN}` }, record)).status).toBe(202);
  });
});

describe('security headers and origins', () => {
  it('sends a Content-Security-Policy without inline or eval script, plugins or foreign framing', async () => {
    const res = await fetch(`${app.baseUrl}/api/health`);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).toContain("frame-ancestors 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('refuses state-changing requests from a foreign origin; its own origin, an allowed one and servers (no Origin) pass', async () => {
    const foreign = await login('viewer', 'x', { origin: 'https://evil.example' });
    expect(foreign.status).toBe(403);
    expect((await login('viewer', 'x', { origin: app.baseUrl })).status).toBe(401);
    expect((await login('viewer', 'x', { origin: 'https://wall.example.gov.cn' })).status).toBe(401);
    expect((await login('viewer', 'x')).status).toBe(401);
  });

  it('refuses the socket.io handshake of a foreign origin', async () => {
    const token = await app.login();
    const socket = io(`${app.baseUrl}/live`, {
      auth: { token },
      transports: ['polling'],
      extraHeaders: { origin: 'https://evil.example' },
      reconnection: false,
    });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (err) => resolve(`refused: ${err.message}`));
    });
    socket.disconnect();
    expect(outcome).toMatch(/^refused/);
  });
});

describe('live sockets', () => {
  it('re-checks the token on every event: a session ended meanwhile is disconnected at its next room join or resync', async () => {
    const token = await app.login();
    const socket = app.connectLive(token);
    await new Promise((resolve) => socket.once('snapshot', resolve));
    // The session ends (expiry, a role change, an administrator): its key is gone.
    for (const key of await app.redis.keys(`${app.keys.prefix}*session*`)) await app.redis.del(key);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    socket.emit('resync');
    expect(await disconnected).toBe('io server disconnect');
  });

  it('refuses an unauthenticated socket on the root namespace too', async () => {
    const socket = io(app.baseUrl, { transports: ['websocket'], reconnection: false, forceNew: true });
    const outcome = await new Promise<string>((resolve) => {
      socket.on('connect', () => resolve('connected'));
      socket.on('connect_error', (err) => resolve(`refused: ${err.message}`));
    });
    socket.disconnect();
    expect(outcome).toBe('refused: unauthorized');
  });

  it('limits the events of one socket: a resync flood gets a rate-limited notice, not a snapshot per resync', async () => {
    const socket = app.connectLive(await app.login());
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    await new Promise((resolve) => socket.once('snapshot', resolve));
    const notice = new Promise<LiveRefusal>((resolve) => socket.once('refused', resolve));
    for (let i = 0; i < 200; i++) socket.emit('resync');
    expect(await notice).toMatchObject({ event: 'resync', code: 'rate_limited' });
    // Snapshots already granted arrive before the next two heartbeats; none for the refused resyncs.
    for (let beats = 0; beats < 2; beats++) await new Promise((resolve) => socket.once('heartbeat', resolve));
    expect(snapshots).toBeGreaterThan(1);
    expect(snapshots).toBeLessThanOrEqual(1 + LIVE_EVENTS_PER_WINDOW);
    expect(socket.connected).toBe(true);
  });
});
