import { afterEach, describe, expect, it } from 'vitest';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
afterEach(() => app?.close());

const send = (method: string, path: string, token: string | null, body?: unknown) =>
  fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
const loginStatus = async (username: string, password: string) =>
  (await send('POST', '/api/auth/login', null, { username, password })).status;

describe('accounts', () => {
  it('seeds admin from ADMIN_PASSWORD at the first start only: a restart keeps a changed password and a disabled admin', async () => {
    app = await startTestApp({}, { worker: false });
    const token = await app.login();
    expect((await send('PATCH', '/api/admin/users/admin', token, { password: 'changed-in-console-7' })).status).toBe(200);
    await app.stopServer();
    await app.restartServer();
    expect(await loginStatus('admin', ADMIN_PASSWORD)).toBe(401);
    const second = await app.login('admin', 'changed-in-console-7');
    expect(
      (await send('POST', '/api/admin/users', second, { username: 'chief', password: 'harbour-lantern-42', role: 'admin' })).status,
    ).toBe(201);
    const chief = await app.login('chief', 'harbour-lantern-42');
    expect((await send('PATCH', '/api/admin/users/admin', chief, { disabled: true })).status).toBe(200);
    await app.stopServer();
    await app.restartServer();
    expect(await loginStatus('admin', 'changed-in-console-7')).toBe(401);
    expect(await loginStatus('admin', ADMIN_PASSWORD)).toBe(401);
  });

  it('logs out: 204, the token is refused at once by every call, and its live socket is dropped', async () => {
    app = await startTestApp({}, { worker: false });
    const token = await app.login();
    const other = await app.login();
    const socket = app.connectLive(token);
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    const dropped = new Promise<string>((resolve) => socket.once('disconnect', resolve));
    expect((await send('POST', '/api/auth/logout', token)).status).toBe(204);
    expect(await dropped).toBe('io server disconnect');
    expect((await app.get('/api/kpis?from=2022-01-01&to=2022-01-31', token)).status).toBe(401);
    expect((await send('POST', '/api/auth/logout', token)).status).toBe(401);
    // The same user's other session is not this token's.
    expect((await app.get('/api/kpis?from=2022-01-01&to=2022-01-31', other)).status).toBe(200);
  });

  it('refuses, naming the rule, passwords shorter than 10, containing the username, trivial or among the most common', async () => {
    app = await startTestApp({}, { worker: false });
    const token = await app.login();
    const create = (username: string, password: string) => send('POST', '/api/admin/users', token, { username, password, role: 'manager' });
    const refusals: Record<string, RegExp> = {
      'short-1': /至少 10 个字符/,
      'zhaoliu-2024!': /用户名/,
      'my-ZhaoLiu-pw': /用户名/,
      aaaaaaaaaaaa: /重复或连续/,
      abcabcabcabc: /重复或连续/,
      '0123456789': /重复或连续/,
      qwertyuiop: /常见密码/,
      Password123: /常见密码/,
      '1qaz2wsx3edc': /常见密码/,
    };
    for (const [password, rule] of Object.entries(refusals)) {
      const res = await create('zhaoliu', password);
      expect(res.status, password).toBe(400);
      expect(((await res.json()) as ApiErrorBody).error.message, password).toMatch(rule);
    }
    expect((await create('zhaoliu', 'tea-house-by-the-river')).status).toBe(201);
    const changed = await send('PATCH', '/api/admin/users/zhaoliu', token, { password: 'zhaoliu-password' });
    expect(changed.status).toBe(400);
    expect(((await changed.json()) as ApiErrorBody).error.message).toMatch(/用户名/);
  });

  it('audits refused logins once per address and hour, with their count, not once each', async () => {
    // Few passwords are checked (each check costs a scrypt): the rest are refused by the limits.
    app = await startTestApp({ LOGIN_FAILURES_PER_USER_IP: '5', LOGIN_FAILURES_PER_IP: '10' }, { worker: false });
    const token = await app.login();
    const before = await app.redis.xlen(app.keys.audit());
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) => loginStatus(i % 2 ? 'admin' : `guess${i}`, 'not-the-password')),
    );
    expect(statuses.filter((s) => s === 401 || s === 429)).toHaveLength(200);
    // One address: one entry (two if the burst straddled the hour).
    expect((await app.redis.xlen(app.keys.audit())) - before).toBeLessThanOrEqual(2);
    const { entries } = (await (await app.get('/api/admin/audit?limit=10', token)).json()) as {
      entries: { action: string; details?: { refusals?: number } }[];
    };
    const refused = entries.filter((e) => e.action === 'login.failed');
    expect(refused.reduce((sum, e) => sum + e.details!.refusals!, 0)).toBe(200);
    expect(entries.map((e) => e.action)).toContain('login');
  });
});
