import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, IngestResponse } from '../../shared/api-types.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

/**
 * API.md "Additions (v2)": errors keep the v1 shape, `message` follows the request's Accept-Language
 * (Chinese by default, q-values honoured), `code` stays the coarse language-free class and `reason` names
 * the specific message; rejected records carry their reasons' codes. And the bureau's name is a setting.
 */
let app: TestApp;
let admin: string;

beforeAll(async () => {
  app = await startTestApp({ BUREAU_NAME: '长沙市芙蓉区行政审批服务局' }, { worker: false });
  admin = await app.login();
});
afterAll(async () => {
  await app?.close();
});

async function call(path: string, acceptLanguage?: string, init: RequestInit & { token?: string } = {}) {
  const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
  if (acceptLanguage !== undefined) headers['accept-language'] = acceptLanguage;
  if (init.token) headers.authorization = `Bearer ${init.token}`;
  const res = await fetch(`${app.baseUrl}${path}`, { ...init, headers });
  return { res, body: (await res.json()) as ApiErrorBody };
}

const BAD_PERIOD = '/api/kpis?from=2022-13-01&to=2022-12-31';

describe('error messages by Accept-Language', () => {
  it('answers in Chinese without the header, in English on request, with the same language-free codes', async () => {
    const none = await call(BAD_PERIOD, undefined, { token: admin });
    expect(none.res.status).toBe(400);
    expect(none.body.error).toEqual({ code: 'validation_failed', reason: 'kpi.bad_from', message: 'from 应为日期 YYYY-MM-DD' });
    expect(none.res.headers.get('content-language')).toBe('zh-CN');
    expect(none.res.headers.get('vary')).toMatch(/Accept-Language/i);

    const zh = await call(BAD_PERIOD, 'zh-CN', { token: admin });
    expect(zh.body.error).toEqual(none.body.error);

    const en = await call(BAD_PERIOD, 'en-US,en;q=0.9', { token: admin });
    expect(en.body.error).toEqual({
      code: 'validation_failed',
      reason: 'kpi.bad_from',
      message: '`from` must be a calendar day YYYY-MM-DD',
    });
    expect(en.res.headers.get('content-language')).toBe('en');
  });

  it('honours q-values, skips languages it has not, and takes Chinese for * or nothing it knows', async () => {
    const message = async (header: string) => (await call(BAD_PERIOD, header, { token: admin })).body.error.message;
    const chinese = 'from 应为日期 YYYY-MM-DD';
    const english = '`from` must be a calendar day YYYY-MM-DD';
    expect(await message('en;q=0.5, zh-CN;q=0.8')).toBe(chinese);
    expect(await message('zh;q=0.1, en')).toBe(english);
    expect(await message('fr-FR, de;q=0.9, en;q=0.3')).toBe(english);
    expect(await message('zh-TW')).toBe(chinese);
    expect(await message('en;q=0, fr')).toBe(chinese);
    expect(await message('*')).toBe(chinese);
    expect(await message('fr')).toBe(chinese);
  });

  it('translates the edges too: no session, no route, a body that is no JSON', async () => {
    const noSession = await call('/api/ingest/status', undefined);
    expect(noSession.res.status).toBe(401);
    expect(noSession.body.error).toMatchObject({
      code: 'unauthorized',
      reason: 'auth.token_required',
      message: '需要登录令牌（POST /api/auth/login）',
    });
    expect((await call('/api/ingest/status', 'en')).body.error.message).toBe('a bearer token is required (POST /api/auth/login)');

    const noRoute = await call('/api/nothing-here', 'zh-CN', { token: admin });
    expect(noRoute.body.error).toMatchObject({ code: 'not_found', reason: 'http.no_route', message: '没有这个接口：GET /nothing-here' });

    const notJson = await call('/api/auth/login', 'zh', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' });
    expect(notJson.body.error).toMatchObject({
      code: 'bad_request',
      reason: 'http.body_not_json',
      message: expect.stringMatching(/^请求体不是有效的 JSON/),
    });
  });

  it('renders a validator’s issues in the request’s language (details keep their shape)', async () => {
    const body = JSON.stringify({ username: 'x y', password: 7, role: 'boss' });
    const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body, token: admin };
    const zh = await call('/api/admin/users', undefined, init);
    expect(zh.res.status).toBe(400);
    expect(zh.body.error).toMatchObject({ code: 'validation_failed', reason: 'input.invalid', message: '输入有误：3 处问题' });
    expect(zh.body.error.details).toEqual([
      'username：用户名为 1–64 个字母、数字、“.”、“_”或“-”',
      expect.stringMatching(/^password：无效输入：期望 string，实际接收 数字$/),
      expect.stringMatching(/^role：无效选项/),
    ]);
    const en = await call('/api/admin/users', 'en', init);
    expect(en.body.error.details).toEqual([
      'username: 1–64 letters, digits, ".", "_" or "-"',
      'password: Invalid input: expected string, received number',
      expect.stringMatching(/^role: Invalid option/),
    ]);
  });
});

describe('rejected records by Accept-Language', () => {
  const bad = [{ ticketId: 'R1', type: 'signed', at: '2022-03-04T09:00:00+08:00' }, { type: 'closed', at: 'soon' }, 'T1,signed'];

  async function post(acceptLanguage?: string): Promise<IngestResponse> {
    const res = await fetch(`${app.baseUrl}/api/ingest/hotline`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${INGEST_TOKEN}`,
        ...(acceptLanguage !== undefined && { 'accept-language': acceptLanguage }),
      },
      body: JSON.stringify({ events: bad }),
    });
    expect(res.status).toBe(202);
    return (await res.json()) as IngestResponse;
  }

  const reasons = [
    [
      { code: 'record.required', field: 'ticketId' },
      { code: 'record.not_in_list', field: 'type' },
      { code: 'record.not_time', field: 'at' },
    ],
    [{ code: 'record.not_object' }],
  ];

  it('gives each reason in Chinese by default, in English on request, and the same codes and fields either way', async () => {
    const zh = await post();
    expect(zh.accepted).toBe(1);
    expect(zh.rejected.map((r) => r.index)).toEqual([1, 2]);
    expect(zh.rejected.map((r) => r.reasons)).toEqual(reasons);
    expect(zh.rejected[0]!.errors).toEqual([
      '工单编号（ticketId）：必填',
      expect.stringMatching(/^环节（type）：“closed”不是可选值（received\/受理, .*）之一$/),
      '时间（at）：“soon”不是有效的 ISO 8601 日期时间',
    ]);
    expect(zh.rejected[1]!.errors).toEqual(['记录必须是 JSON 对象']);

    const en = await post('en');
    expect(en.rejected.map((r) => r.reasons)).toEqual(reasons);
    expect(en.rejected[0]!.errors).toEqual([
      'ticketId (工单编号): is required',
      expect.stringMatching(/^type \(环节\): "closed" is not one of received\/受理, /),
      'at (时间): "soon" is not a valid ISO 8601 date-time',
    ]);
    expect(en.rejected[1]!.errors).toEqual(['record must be a JSON object']);
  });
});

describe('the bureau’s name, a setting', () => {
  it('is seeded from BUREAU_NAME, read by anyone, changed by an administrator only, and kept over the variable at a restart', async () => {
    expect(await (await fetch(`${app.baseUrl}/api/bureau`)).json()).toEqual({ name: '长沙市芙蓉区行政审批服务局' });

    const put = (name: unknown, token: string, lang?: string) =>
      call('/api/admin/bureau', lang, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name }),
        token,
      });

    const empty = await put('  ', admin);
    expect(empty.res.status).toBe(400);
    expect(empty.body.error).toMatchObject({
      code: 'validation_failed',
      reason: 'bureau.bad_name',
      message: '单位名称应为 1–64 个字符的文本',
    });
    expect((await put('x'.repeat(65), admin, 'en')).body.error.message).toBe('the bureau name must be text of 1–64 characters');

    const saved = await put(' 长沙市芙蓉区数据资源局 ', admin);
    expect(saved.res.status).toBe(200);
    expect(saved.body).toEqual({ name: '长沙市芙蓉区数据资源局' });
    await app.stopServer();
    await app.restartServer();
    expect(await (await fetch(`${app.baseUrl}/api/bureau`)).json()).toEqual({ name: '长沙市芙蓉区数据资源局' });
  });

  it('refuses a manager’s change', async () => {
    const created = await fetch(`${app.baseUrl}/api/admin/users`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` },
      body: JSON.stringify({ username: 'manager1', password: 'Kq7-pulse-manager-pass', role: 'manager' }),
    });
    expect(created.status).toBe(201);
    const token = await app.login('manager1', 'Kq7-pulse-manager-pass');
    const refused = await call('/api/admin/bureau', 'en', {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'x' }),
      token,
    });
    expect(refused.res.status).toBe(403);
    expect(refused.body.error).toMatchObject({ code: 'forbidden', reason: 'auth.role_forbidden', message: 'role manager may not do this' });
  });
});
