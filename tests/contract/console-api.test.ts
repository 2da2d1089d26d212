import { createHash } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse, LoginResponse } from '../../shared/api-types.ts';
import type { ImportPreview, SupervisedListResponse, UsersResponse } from '../../shared/console-types.ts';
import { ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/app.ts';

type Grouped = KpisResponse & { where?: Record<string, string>; groups: { key: string; kpis: KpisResponse['kpis'] }[] };

let app: TestApp;
let admin: string;
const displayToken = 'display-token-for-console-tests-0123';

const send = (method: string, path: string, token: string, body?: unknown) =>
  fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });

beforeAll(async () => {
  app = await startTestApp();
  admin = await app.login();
  // A wall screen's token, as the display-token routes store it.
  const hash = createHash('sha256').update(displayToken).digest('hex');
  await app.redis.hset(app.keys.displayTokens(), hash, JSON.stringify({ name: 'lobby', createdAt: new Date().toISOString() }));
});
afterAll(async () => {
  await app?.close();
});

const ticket = (id: string, category: string, street: string, department: string, extra: Record<string, unknown> = {}) => [
  { ticketId: id, type: 'signed', at: '2022-03-04T09:00:00+08:00', urgency: '普通', category, street, department, ...extra },
  { ticketId: id, type: 'completed', at: '2022-03-05T09:00:00+08:00' },
];

describe('drill-down breakdowns', () => {
  beforeAll(async () => {
    await app.ingest('hotline', [
      ...ticket('D-1', '城市管理', '文艺路街道', '区城管局'),
      ...ticket('D-2', '城市管理', '文艺路街道', '区住建局'),
      ...ticket('D-3', '城市管理', '朝阳街道', '区城管局'),
      ...ticket('D-4', '市场监管', '文艺路街道', '区市场监管局'),
      // A ticket without a street counts under its category but in no street of it.
      ...ticket('D-5', '城市管理', '', '区城管局').map((r) => ({ ...r, street: undefined })),
    ]);
    await app.waitIdle(admin);
  });

  const kpis = async (query: string, token = admin) => {
    const res = await app.get(`/api/kpis?from=2022-03-01&to=2022-03-31&${query}`, token);
    expect(res.status).toBe(200);
    return (await res.json()) as Grouped;
  };
  const signedBy = (body: Grouped) => Object.fromEntries(body.groups.map((g) => [g.key, g.kpis['hotline.signed']?.value]));

  it('breaks a category down by street, and a street of it by department', async () => {
    expect(signedBy(await kpis('groupBy=category'))).toEqual({ 城市管理: 4, 市场监管: 1 });
    const streets = await kpis(`groupBy=street&where=${encodeURIComponent('category:城市管理')}`);
    expect(signedBy(streets)).toEqual({ 文艺路街道: 2, 朝阳街道: 1 });
    expect(streets.where).toEqual({ category: '城市管理' });
    expect(streets.kpis['hotline.signed']?.value).toBe(5); // the period's total is not filtered
    const departments = await kpis(
      `groupBy=department&where=${encodeURIComponent('category:城市管理')}&where=${encodeURIComponent('street:文艺路街道')}`,
    );
    expect(signedBy(departments)).toEqual({ 区城管局: 1, 区住建局: 1 });
    expect(departments.groups.find((g) => g.key === '区城管局')?.kpis['hotline.completionRate']?.value).toBe(1);
  });

  it('refuses a where that follows no drill path, naming the paths', async () => {
    const res = await app.get(
      `/api/kpis?from=2022-03-01&to=2022-03-31&groupBy=category&where=${encodeURIComponent('street:文艺路街道')}`,
      admin,
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain('category → street → department');
    expect((await app.get('/api/kpis?from=2022-03-01&to=2022-03-31&where=category:x', admin)).status).toBe(400);
    expect((await app.get('/api/kpis?from=2022-03-01&to=2022-03-31&groupBy=street&where=category', admin)).status).toBe(400);
  });
});

describe('四类督办 lists', () => {
  beforeAll(async () => {
    const past = Date.now() - 3 * 86_400_000;
    await app.ingest('hotline', [
      // Overdue: signed, deadline passed, not completed.
      {
        ticketId: 'S-OVER',
        type: 'signed',
        at: new Date(past).toISOString(),
        category: '物业管理',
        street: '朝阳街道',
        deadline: new Date(past + 3_600_000).toISOString(),
        callerPhone: '13800001111',
      },
      // Unresolved and dissatisfied follow-ups in March 2022.
      { ticketId: 'S-UNRES', type: 'visited', at: '2022-03-10T10:00:00+08:00', resolved: false, satisfaction: '满意', category: '教育' },
      {
        ticketId: 'S-DISS',
        type: 'visited',
        at: '2022-03-11T10:00:00+08:00',
        resolved: true,
        satisfaction: '非常不满意',
        category: '教育',
      },
      // A repeat call: the same caller about the same category within 30 days.
      { ticketId: 'S-R1', type: 'received', at: '2022-03-01T08:00:00+08:00', category: '住房保障', callerPhone: '13912345678' },
      { ticketId: 'S-R2', type: 'received', at: '2022-03-20T08:00:00+08:00', category: '住房保障', callerPhone: '139 1234 5678' },
    ]);
    await app.waitIdle(admin);
  });

  const list = async (kind: string, token = admin) =>
    send('GET', `/api/console/supervised?kind=${kind}&from=2022-03-01&to=2022-03-31`, token);

  it('lists each kind with ticket ids and attributes, agreeing with the KPI breakdown', async () => {
    const figures = (await (await app.get('/api/kpis?from=2022-03-01&to=2022-03-31', admin)).json()) as KpisResponse;
    const breakdown = figures.kpis['hotline.supervised']?.breakdown as Record<string, number>;
    for (const [kind, ids] of [
      ['overdue', ['S-OVER']],
      ['unresolved', ['S-UNRES']],
      ['dissatisfied', ['S-DISS']],
      ['repeat', ['S-R2']],
    ] as const) {
      const res = await list(kind);
      expect(res.status).toBe(200);
      const body = (await res.json()) as SupervisedListResponse;
      expect(body.items.map((t) => t.ticketId)).toEqual(ids);
      expect(body.total).toBe(breakdown[kind]);
    }
    const overdue = (await (await list('overdue')).json()) as SupervisedListResponse;
    expect(overdue.items[0]).toMatchObject({ category: '物业管理', street: '朝阳街道', completedAt: null });
    expect(Date.parse(overdue.items[0]!.deadline!)).toBeLessThan(Date.now());
  });

  it('carries no personal data: no caller number, no caller hash', async () => {
    for (const kind of ['overdue', 'repeat']) {
      const text = await (await list(kind)).text();
      expect(text).not.toMatch(/1380000|13912345678|1234 5678|caller/i);
      const members = await app.redis.zrange(app.keys.liveSet('hotline', 'callers'), '0', '-1');
      for (const m of members) expect(text).not.toContain(m.split('|')[0]);
    }
  });

  it('keeps ticket ids and categories containing | apart: a repeat is the same category, listed by its whole id', async () => {
    await app.ingest('hotline', [
      // Same caller, categories `X` and `X|P`, ids `P|Q` and `T`: no repeat (a member split at its last `|` read both as `X|P`).
      { ticketId: 'P|Q', type: 'received', at: '2022-04-01T08:00:00+08:00', category: 'X', callerPhone: '13700001111' },
      { ticketId: 'T', type: 'received', at: '2022-04-05T08:00:00+08:00', category: 'X|P', callerPhone: '13700001111' },
      // A real repeat whose ticket id holds a `|`.
      { ticketId: 'R|1', type: 'received', at: '2022-04-10T08:00:00+08:00', category: 'Y', callerPhone: '13700002222' },
      { ticketId: 'R|2', type: 'received', at: '2022-04-12T08:00:00+08:00', category: 'Y', callerPhone: '13700002222' },
    ]);
    await app.waitIdle(admin);
    const repeats = (await (
      await send('GET', '/api/console/supervised?kind=repeat&from=2022-04-01&to=2022-04-30', admin)
    ).json()) as SupervisedListResponse;
    expect(repeats.items.map((t) => t.ticketId)).toEqual(['R|2']);
    const figures = (await (await app.get('/api/kpis?from=2022-04-01&to=2022-04-30', admin)).json()) as KpisResponse;
    expect((figures.kpis['hotline.supervised']?.breakdown as Record<string, number>).repeat).toBe(1);
  });

  it('is for managers only, with a known kind', async () => {
    expect((await list('overdue', displayToken)).status).toBe(403);
    expect((await fetch(`${app.baseUrl}/api/console/supervised?kind=overdue&from=2022-03-01`)).status).toBe(401);
    expect((await list('everything')).status).toBe(400);
  });
});

describe('users', () => {
  const login = (username: string, password: string) =>
    fetch(`${app.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('creates a manager who signs in, reads KPIs but not users; a duplicate is refused', async () => {
    const created = await send('POST', '/api/admin/users', admin, { username: 'zhangsan', password: 'manager-pass-1', role: 'manager' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ username: 'zhangsan', role: 'manager', disabled: false });
    expect((await send('POST', '/api/admin/users', admin, { username: 'zhangsan', password: 'another-pass', role: 'admin' })).status).toBe(
      409,
    );
    expect((await send('POST', '/api/admin/users', admin, { username: 'bad name', password: 'short', role: 'root' })).status).toBe(400);

    const res = await login('zhangsan', 'manager-pass-1');
    expect(res.status).toBe(200);
    const manager = ((await res.json()) as LoginResponse).token;
    expect((await app.get('/api/kpis?from=2022-03-01', manager)).status).toBe(200);
    expect((await app.get('/api/admin/users', manager)).status).toBe(403);
    const listed = (await (await app.get('/api/admin/users', admin)).json()) as UsersResponse;
    expect(listed.items.map((u) => u.username)).toEqual(['admin', 'zhangsan']);
    expect(JSON.stringify(listed)).not.toMatch(/scrypt|passwordHash/);
    const stored = await app.redis.hget(app.keys.users(), 'zhangsan');
    expect(stored).toMatch(/"passwordHash":"scrypt\$/);
    expect(stored).not.toContain('manager-pass-1');
  });

  it('ends the sessions and live sockets of a user whose role changes, who is disabled or deleted', async () => {
    await send('POST', '/api/admin/users', admin, { username: 'lisi', password: 'cedar-bridge-123', role: 'manager' });
    const first = ((await (await login('lisi', 'cedar-bridge-123')).json()) as LoginResponse).token;
    const socket = app.connectLive(first);
    await new Promise<void>((resolve, reject) => {
      socket.once('snapshot', () => resolve());
      socket.once('connect_error', reject);
    });
    const disconnected = new Promise<void>((resolve) => socket.once('disconnect', () => resolve()));
    expect((await send('PATCH', '/api/admin/users/lisi', admin, { role: 'admin' })).status).toBe(200);
    expect((await app.get('/api/kpis?from=2022-03-01', first)).status).toBe(401);
    await disconnected;

    const second = ((await (await login('lisi', 'cedar-bridge-123')).json()) as LoginResponse).token;
    expect((await app.get('/api/admin/users', second)).status).toBe(200); // now an administrator
    expect((await send('PATCH', '/api/admin/users/lisi', admin, { disabled: true })).status).toBe(200);
    expect((await app.get('/api/kpis?from=2022-03-01', second)).status).toBe(401);
    expect((await login('lisi', 'cedar-bridge-123')).status).toBe(401);
    expect((await send('PATCH', '/api/admin/users/lisi', admin, { disabled: false, password: 'cedar-bridge-new' })).status).toBe(200);
    const third = ((await (await login('lisi', 'cedar-bridge-new')).json()) as LoginResponse).token;
    expect((await send('DELETE', '/api/admin/users/lisi', admin)).status).toBe(204);
    expect((await app.get('/api/kpis?from=2022-03-01', third)).status).toBe(401);
    expect((await login('lisi', 'cedar-bridge-new')).status).toBe(401);
    expect((await send('DELETE', '/api/admin/users/lisi', admin)).status).toBe(404);

    const audit = (await (await app.get('/api/admin/audit?limit=50', admin)).json()) as {
      entries: { action: string; target: string; details?: object }[];
    };
    const actions = audit.entries.filter((e) => e.target === 'lisi').map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.update', 'user.delete']));
    expect(JSON.stringify(audit)).not.toContain('cedar-bridge-new');
  });

  it('keeps at least one enabled administrator', async () => {
    const res = await send('PATCH', '/api/admin/users/admin', admin, { role: 'manager' });
    expect(res.status).toBe(400);
    expect((await send('DELETE', '/api/admin/users/admin', admin)).status).toBe(400);
    expect((await app.get('/api/admin/users', displayToken)).status).toBe(403);
    expect((await login('admin', ADMIN_PASSWORD)).status).toBe(200);
  });
});

describe('import preview', () => {
  it('names the known and unknown columns and the fields to map them to; the map then imports them', async () => {
    const csv = [
      '工单编号,环节,发生时间,街道名称,诉求分类',
      'P-1,签收,2022-03-06 09:00,文艺路街道,教育',
      'P-2,签收,2022-03-06 10:00,朝阳街道,教育',
    ].join('\n');
    const form = new FormData();
    form.set('feed', 'hotline');
    form.set('file', new Blob([csv]), 'tickets.csv');
    const res = await fetch(`${app.baseUrl}/api/imports/preview`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: form,
    });
    expect(res.status).toBe(200);
    const preview = (await res.json()) as ImportPreview;
    expect(preview.known).toEqual({ 工单编号: 'ticketId', 环节: 'type', 诉求分类: 'category' });
    expect(preview.unknown).toEqual(['发生时间', '街道名称']);
    expect(preview.fields).toEqual(
      expect.arrayContaining([
        { field: 'at', labelZh: '时间' },
        { field: 'street', labelZh: '所属街道' },
      ]),
    );
    expect(preview.sample[1]).toMatchObject({ 工单编号: 'P-2', 街道名称: '朝阳街道' });

    const upload = new FormData();
    upload.set('feed', 'hotline');
    upload.set('columnMap', JSON.stringify({ 发生时间: 'at', 街道名称: 'street' }));
    upload.set('file', new Blob([csv]), 'tickets.csv');
    const started = await fetch(`${app.baseUrl}/api/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}` },
      body: upload,
    });
    expect(started.status).toBe(202);
    const { importId } = (await started.json()) as { importId: string };
    await expect
      .poll(
        async () =>
          ((await (await app.get(`/api/imports/${importId}`, admin)).json()) as { phase: string; counts: { accepted: number } }).counts
            ?.accepted,
        { timeout: 10_000 },
      )
      .toBe(2);
    const streets = (await (
      await app.get(`/api/kpis?from=2022-03-06&to=2022-03-06&groupBy=street&where=${encodeURIComponent('category:教育')}`, admin)
    ).json()) as Grouped;
    expect(streets.groups.map((g) => g.key).sort()).toEqual(['文艺路街道', '朝阳街道'].sort());
  });

  it('never lets a display token follow an import on the live stream', async () => {
    const form = new FormData();
    form.set('feed', 'hotline');
    form.set('file', new Blob(['工单编号,环节,时间\nW-1,签收,2022-03-06 09:00']), 'one.csv');
    const { importId } = (await (
      await fetch(`${app.baseUrl}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${admin}` }, body: form })
    ).json()) as { importId: string };
    const watch = async (token: string) => {
      const socket = app.connectLive(token);
      await new Promise<void>((resolve, reject) => {
        socket.once('snapshot', () => resolve());
        socket.once('connect_error', reject);
      });
      const answer = await new Promise<unknown>((resolve) => socket.emit('import:watch', importId, resolve));
      socket.disconnect();
      return answer;
    };
    expect(await watch(displayToken)).toBeNull();
    expect(await watch(admin)).toMatchObject({ importId, fileName: 'one.csv' });
  });

  it('is for managers only', async () => {
    const form = new FormData();
    form.set('feed', 'hotline');
    form.set('file', new Blob(['a,b\n1,2']), 'x.csv');
    expect(
      (
        await fetch(`${app.baseUrl}/api/imports/preview`, {
          method: 'POST',
          headers: { authorization: `Bearer ${displayToken}` },
          body: form,
        })
      ).status,
    ).toBe(403);
  });
});

describe('tables as XLSX', () => {
  it('streams the table it is given as a worksheet, numbers as numbers', async () => {
    const res = await send('POST', '/api/console/xlsx', admin, {
      fileName: '街道排名',
      sheet: '街道',
      columns: ['街道', '签收工单', '办结率'],
      rows: [
        ['文艺路街道', 12, 0.9167],
        ['朝阳街道', 3, null],
      ],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('街道排名.xlsx'));
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.getWorksheet('街道')!;
    expect(sheet.getRow(1).values).toEqual([undefined, '街道', '签收工单', '办结率']);
    expect(sheet.getRow(2).values).toEqual([undefined, '文艺路街道', 12, 0.9167]);
    expect((await send('POST', '/api/console/xlsx', displayToken, { fileName: 'x', sheet: 'x', columns: ['a'], rows: [] })).status).toBe(
      403,
    );
  });
});
