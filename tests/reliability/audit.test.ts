import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.close());

describe('the audit log', () => {
  it('records logins (and failures), imports, exports and every administrative change, with who did it and no secret', async () => {
    await fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: 'not-it-at-all' }),
    });
    const token = await app.login();
    const call = (method: string, path: string, body?: unknown) =>
      fetch(`${app.baseUrl}${path}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: body === undefined ? undefined : JSON.stringify(body),
      });

    expect((await call('PUT', '/api/admin/targets/2022', { 'hotline.signed': { target: 3000, direction: '>=' } })).status).toBe(200);
    expect(
      (
        await call('PUT', '/api/admin/reference/cross-region-partners', {
          items: [{ region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-05-01' }],
        })
      ).status,
    ).toBe(200);
    expect((await call('POST', '/api/admin/users', { username: 'auditor1', password: 'auditor-password-1', role: 'manager' })).status).toBe(
      201,
    );
    const created = (await (await call('POST', '/api/admin/display-tokens', { name: '大厅屏' })).json()) as { id: string; token: string };
    expect((await call('DELETE', `/api/admin/display-tokens/${created.id}`)).status).toBe(204);
    const form = new FormData();
    form.set('feed', 'evaluations');
    form.set('file', new Blob(['id,at,rating\nE1,2022-05-01 10:00,5\n']), 'ratings.csv');
    expect(
      (await fetch(`${app.baseUrl}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).status,
    ).toBe(202);
    expect((await call('GET', '/api/export/annual?year=2022&format=json')).status).toBe(200);

    const { entries } = (await (await call('GET', '/api/admin/audit?limit=100')).json()) as {
      entries: { actor: string; action: string; target: string }[];
    };
    const actions = entries.map((e) => e.action);
    for (const action of [
      'login.failed',
      'login',
      'targets.replace',
      'reference.replace',
      'user.create',
      'display-token.create',
      'display-token.revoke',
      'import',
      'export',
    ]) {
      expect(actions, action).toContain(action);
    }
    expect(entries.filter((e) => e.action !== 'login.failed').every((e) => e.actor === 'admin')).toBe(true);
    const dump = JSON.stringify(entries);
    for (const secret of ['not-it-at-all', 'auditor-password-1', token, created.token]) expect(dump).not.toContain(secret);
  }, 60_000);
});
