import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { AppError } from '../../core/platform/errors.ts';
import { renderDeep } from '../../shared/messages/index.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { errorHandler } from '../../server/http/errors.ts';
import { referenceRoutes } from '../../server/routes/reference.ts';
import { AuditService } from '../../core/services/audit-service.ts';
import { AuthService, hashPassword } from '../../core/services/auth-service.ts';
import { KpiService } from '../../core/services/kpi-service.ts';
import { ReferenceService } from '../../core/services/reference-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { testContext } from '../support/context.ts';

let redis: Redis;
let reference: ReferenceService;

beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());
beforeEach(() => {
  reference = new ReferenceService(testContext(redis, redisKeys(uniquePrefix())));
});

/** The AppError a promise rejects with. */
async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

/** The 2022 report: 15 跨省通办 partners signed over the year, and the 3 长株潭 partners. */
function reportPartners() {
  const inter = Array.from({ length: 15 }, (_, i) => ({
    region: `跨省伙伴${i + 1}`,
    scope: 'inter_provincial',
    signedAt: `2022-${String((i % 12) + 1).padStart(2, '0')}-15`,
  }));
  const cluster = [
    { region: '湘潭市岳塘区', scope: '长株潭', signedAt: '2021-06-01' },
    { region: '株洲市天元区', scope: '长株潭', signedAt: '2021-06-01' },
    { region: '株洲市云龙示范区', scope: 'changzhutan', signedAt: '2022-12-31' },
  ];
  return [...inter, ...cluster];
}

describe('replacing the partner list and the item catalogue', () => {
  it('stores a list as given, with scopes as codes, and replaces it whole', async () => {
    const stored = await reference.replacePartners([
      { region: ' 广东省深圳市南山区 ', scope: '跨省通办', signedAt: '2022-03-04' },
      { 地区: '湘潭市岳塘区', 范围: '长株潭', 签约日期: '2021-06-01' },
    ]);
    expect(stored).toEqual([
      { region: '广东省深圳市南山区', scope: 'inter_provincial', signedAt: '2022-03-04' },
      { region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-06-01' },
    ]);
    expect(await reference.listPartners()).toEqual(stored);

    await reference.replacePartners([{ region: '上海市黄浦区', scope: 'inter_provincial', signedAt: '2022-05-01' }]);
    expect(await reference.listPartners()).toEqual([{ region: '上海市黄浦区', scope: 'inter_provincial', signedAt: '2022-05-01' }]);
    await reference.replacePartners([]);
    expect(await reference.listPartners()).toEqual([]);
  });

  it('keeps the partner list and the catalogue apart, each empty before it is first set', async () => {
    expect(await reference.listPartners()).toEqual([]);
    expect(await reference.listItems()).toEqual([]);
    const items = await reference.replaceItems([
      { itemCode: '430102-KS-001', itemName: '营业执照设立登记', scope: 'inter_provincial', addedAt: '2022-01-10' },
      { 事项编码: '430102-CZT-001', 事项名称: '社会保障卡申领', 范围: '长株潭', 添加日期: '2022-02-01' },
    ]);
    expect(items[1]).toEqual({ itemCode: '430102-CZT-001', itemName: '社会保障卡申领', scope: 'changzhutan', addedAt: '2022-02-01' });
    expect(await reference.listItems()).toEqual(items);
    expect(await reference.listPartners()).toEqual([]);
  });

  it('refuses the whole list when any entry is invalid, naming each by index, and keeps the old list', async () => {
    const before = await reference.replacePartners([{ region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-06-01' }]);
    const err = await refusal(
      reference.replacePartners([
        { region: '广东省深圳市南山区', scope: 'inter_provincial', signedAt: '2022-03-04' },
        { scope: 'province', signedAt: '2022-02-30' },
        '上海市黄浦区,跨省通办,2022-05-01',
        { region: '四川省成都市武侯区', scope: 'inter_provincial', signedAt: '2022/5/1' },
        { region: '广东省深圳市南山区', scope: 'inter_provincial', signedAt: '2022-06-01' },
        { region: '浙江省杭州市西湖区', scope: 'inter_provincial', signedAt: 20220601 },
      ]),
    );
    expect(err.code).toBe('validation_failed');
    expect(err.message).toBe('5 of 6 partner entries are invalid; the list was not replaced');
    expect(renderDeep(err.details, 'en')).toEqual({
      rejected: [
        {
          index: 1,
          errors: [
            'region (地区): is required',
            'scope (范围): "province" is not one of inter_provincial/跨省通办, changzhutan/长株潭',
            'signedAt (签约日期): "2022-02-30" is not a calendar day YYYY-MM-DD',
          ],
        },
        { index: 2, errors: ['entry must be a JSON object'] },
        { index: 3, errors: ['signedAt (签约日期): "2022/5/1" is not a calendar day YYYY-MM-DD'] },
        { index: 4, errors: ['region (地区): "广东省深圳市南山区" is already listed at index 0'] },
        { index: 5, errors: ['signedAt (签约日期): expected a date YYYY-MM-DD, got number'] },
      ],
    });
    expect(await reference.listPartners()).toEqual(before);
  });

  it('refuses catalogue items without their required fields or with a code listed twice', async () => {
    const err = await refusal(
      reference.replaceItems([
        { itemCode: 'A1', itemName: '营业执照设立登记', scope: 'inter_provincial', addedAt: '2022-01-10' },
        { itemCode: 'A2' },
        { itemCode: 'A1', itemName: '营业执照变更登记', scope: 'inter_provincial', addedAt: '2022-01-10' },
        { itemCode: 'A3', itemName: '名'.repeat(257), scope: '长株潭', addedAt: '2022-13-01' },
      ]),
    );
    expect(err).toMatchObject({ code: 'validation_failed', message: '3 of 4 item entries are invalid; the list was not replaced' });
    expect(renderDeep(err.details, 'en')).toEqual({
      rejected: [
        { index: 1, errors: ['itemName (事项名称): is required', 'scope (范围): is required', 'addedAt (添加日期): is required'] },
        { index: 2, errors: ['itemCode (事项编码): "A1" is already listed at index 0'] },
        {
          index: 3,
          errors: [
            'itemName (事项名称): is longer than 256 characters',
            'addedAt (添加日期): "2022-13-01" is not a calendar day YYYY-MM-DD',
          ],
        },
      ],
    });
    expect(await reference.listItems()).toEqual([]);
  });

  it('refuses what is not a list, and lists beyond the limit', async () => {
    expect((await refusal(reference.replacePartners({ items: [] } as unknown as unknown[]))).code).toBe('validation_failed');
    const tooMany = Array.from({ length: 10_001 }, (_, i) => ({
      itemCode: `C${i}`,
      itemName: 'x',
      scope: 'inter_provincial',
      addedAt: '2022-01-01',
    }));
    expect((await refusal(reference.replaceItems(tooMany))).message).toMatch(/at most 10000 entries, got 10001/);
  });
});

describe('countsAsOf', () => {
  it('is zero before any reference data is set', async () => {
    expect(await reference.countsAsOf('2022-12-31')).toEqual({
      partners: 0,
      partnersByScope: { inter_provincial: 0, changzhutan: 0 },
      items: 0,
    });
  });

  it('reproduces the report’s 15 + 3 partners and 139 items at the year’s end', async () => {
    await reference.replacePartners(reportPartners());
    await reference.replaceItems(
      Array.from({ length: 139 }, (_, i) => ({
        itemCode: `KS${i}`,
        itemName: `跨省通办事项${i}`,
        scope: 'inter_provincial',
        addedAt: i < 100 ? '2022-03-01' : '2022-12-31',
      })),
    );
    expect(await reference.countsAsOf('2022-12-31')).toEqual({
      partners: 18,
      partnersByScope: { inter_provincial: 15, changzhutan: 3 },
      items: 139,
    });
    expect(await reference.countsAsOf('2023-06-30')).toEqual({
      partners: 18,
      partnersByScope: { inter_provincial: 15, changzhutan: 3 },
      items: 139,
    });
  });

  it('counts an entry from its own day on, not the day before', async () => {
    await reference.replacePartners(reportPartners());
    await reference.replaceItems([
      { itemCode: 'E1', itemName: '营业执照设立登记', scope: 'inter_provincial', addedAt: '2022-01-01' },
      { itemCode: 'E2', itemName: '社会保障卡申领', scope: 'changzhutan', addedAt: '2022-12-31' },
    ]);
    // The 长株潭 partners of 2021-06-01 and the last one, signed on 2022-12-31.
    expect(await reference.countsAsOf('2021-05-31')).toEqual({
      partners: 0,
      partnersByScope: { inter_provincial: 0, changzhutan: 0 },
      items: 0,
    });
    expect(await reference.countsAsOf('2021-06-01')).toEqual({
      partners: 2,
      partnersByScope: { inter_provincial: 0, changzhutan: 2 },
      items: 0,
    });
    expect(await reference.countsAsOf('2022-01-01')).toMatchObject({ partners: 2, items: 1 });
    // 跨省 partners signed on the 15th of each month; two each in January–March.
    expect(await reference.countsAsOf('2022-01-14')).toMatchObject({ partnersByScope: { inter_provincial: 0, changzhutan: 2 } });
    expect(await reference.countsAsOf('2022-01-15')).toMatchObject({ partnersByScope: { inter_provincial: 2, changzhutan: 2 } });
    expect(await reference.countsAsOf('2022-12-30')).toEqual({
      partners: 17,
      partnersByScope: { inter_provincial: 15, changzhutan: 2 },
      items: 1,
    });
    expect(await reference.countsAsOf('2022-12-31')).toEqual({
      partners: 18,
      partnersByScope: { inter_provincial: 15, changzhutan: 3 },
      items: 2,
    });
  });

  it('refuses a day that is not a calendar day', async () => {
    expect((await refusal(reference.countsAsOf('2022-02-29'))).code).toBe('validation_failed');
    expect((await refusal(reference.countsAsOf('2022-1-1'))).code).toBe('validation_failed');
  });

  it('gives crossRegion.partners and crossRegion.items as of the period’s end through the KPI service', async () => {
    const keys = redisKeys(uniquePrefix());
    const service = new ReferenceService(testContext(redis, keys));
    await service.replacePartners(reportPartners());
    const kpis = new KpiService(testContext(redis, keys), ['crossRegion'], { reference: service });
    expect((await kpis.getKpis('2022-01-01', '2022-12-30')).kpis['crossRegion.partners']).toMatchObject({ value: 17 });
    expect((await kpis.getKpis('2022-12-01', '2022-12-31')).kpis['crossRegion.partners']).toMatchObject({ value: 18 });
  });
});

describe('reference routes', () => {
  const keys = redisKeys(uniquePrefix());
  let server: Server;
  let baseUrl: string;
  const tokens: Record<'admin' | 'manager' | 'display', string> = { admin: '', manager: '', display: '' };

  beforeAll(async () => {
    const auth = new AuthService(testContext(redis, keys), 600);
    await auth.ensureAdmin('admin-password');
    await redis.hset(keys.users(), 'manager1', JSON.stringify({ role: 'manager', passwordHash: await hashPassword('manager-password') }));
    tokens.admin = (await auth.login('admin', 'admin-password')).token;
    tokens.manager = (await auth.login('manager1', 'manager-password')).token;
    tokens.display = (await auth.createDisplayToken('wall')).token;
    const app = express();
    app.use(express.json());
    app.use('/api', referenceRoutes(new ReferenceService(testContext(redis, keys)), auth, new AuditService(testContext(redis, keys))));
    app.use(errorHandler(createLogger('silent', 'test')));
    server = createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/admin/reference`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const call = (method: 'GET' | 'PUT', path: string, token: string, body?: unknown) =>
    fetch(`${baseUrl}/${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });

  it('lets an admin replace the partners and a manager read them', async () => {
    const put = await call('PUT', 'cross-region-partners', tokens.admin, {
      items: [{ region: '湘潭市岳塘区', scope: '长株潭', signedAt: '2021-06-01' }],
    });
    expect(put.status).toBe(200);
    const expected = { items: [{ region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-06-01' }] };
    expect(await put.json()).toEqual(expected);
    const get = await call('GET', 'cross-region-partners', tokens.manager);
    expect(get.status).toBe(200);
    expect(await get.json()).toEqual(expected);
  });

  it('lets an admin replace the item catalogue', async () => {
    const items = [{ itemCode: 'A1', itemName: '营业执照设立登记', scope: 'inter_provincial', addedAt: '2022-01-10' }];
    expect((await call('PUT', 'cross-region-items', tokens.admin, { items })).status).toBe(200);
    expect(await (await call('GET', 'cross-region-items', tokens.admin)).json()).toEqual({ items });
  });

  it('answers an invalid list with 400 and the rejected entries by index', async () => {
    const res = await call('PUT', 'cross-region-items', tokens.admin, {
      items: [{ itemCode: 'A1', itemName: 'x', scope: 'inter_provincial', addedAt: '2022-01-10' }, { itemCode: 'A2' }],
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as ApiErrorBody;
    expect(body.error).toMatchObject({ code: 'validation_failed', details: { rejected: [{ index: 1 }] } });
    expect((await call('PUT', 'cross-region-items', tokens.admin, { entries: [] })).status).toBe(400);
  });

  it('refuses changes by a manager or a wall display, reads by a display, and calls without a token', async () => {
    const body = { items: [] };
    expect((await call('PUT', 'cross-region-partners', tokens.manager, body)).status).toBe(403);
    expect((await call('PUT', 'cross-region-items', tokens.display, body)).status).toBe(403);
    expect((await call('GET', 'cross-region-items', tokens.display)).status).toBe(403);
    expect((await fetch(`${baseUrl}/cross-region-partners`)).status).toBe(401);
  });
});
