import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/app.ts';

/**
 * PUT /api/admin/reference/cross-region-partners.csv and …/cross-region-items.csv (API.md v2): the
 * bureau's spreadsheet replaces a list as the JSON call does — CSV (UTF-8 or GB18030) or XLSX, Chinese
 * or English headers — every bad row named by its row number, nothing replaced unless every row is good.
 */

let app: TestApp;
let admin: string;
const PARTNERS = '/api/admin/reference/cross-region-partners';
const ITEMS = '/api/admin/reference/cross-region-items';

beforeAll(async () => {
  app = await startTestApp({}, { worker: false });
  admin = await app.login();
});
afterAll(async () => {
  await app.close();
});

async function upload(path: string, data: Buffer | string, name: string, token = admin): Promise<Response> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(typeof data === 'string' ? Buffer.from(data) : data)]), name);
  return fetch(`${app.baseUrl}${path}.csv`, { method: 'PUT', headers: { authorization: `Bearer ${token}` }, body: form });
}

async function stored(path: string): Promise<unknown[]> {
  return ((await (await app.get(path, admin)).json()) as { items: unknown[] }).items;
}

async function xlsx(rows: (string | number | Date)[][]): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('合作地区');
  for (const row of rows) sheet.addRow(row);
  return Buffer.from(await book.xlsx.writeBuffer());
}

const PARTNER_ROWS = '地区,范围,签约日期\n广东省深圳市南山区,跨省通办,2021-03-01\n湘潭市岳塘区,长株潭,2021/5/1\n';

describe('reference data from a spreadsheet', () => {
  it('takes a UTF-8 CSV with Chinese headers: the list is replaced, labels and dates read as the JSON call reads them', async () => {
    const res = await upload(PARTNERS, PARTNER_ROWS, '合作地区.csv');
    expect(res.status).toBe(200);
    const expected = [
      { region: '广东省深圳市南山区', scope: 'inter_provincial', signedAt: '2021-03-01' },
      { region: '湘潭市岳塘区', scope: 'changzhutan', signedAt: '2021-05-01' },
    ];
    expect(((await res.json()) as { items: unknown[] }).items).toEqual(expected);
    expect(await stored(PARTNERS)).toEqual(expected);
  });

  it('takes a GB18030 CSV, as Excel saves one on a Chinese Windows', async () => {
    const text =
      '事项编码,事项名称,范围,添加日期\n430102-001,营业执照变更登记,跨省通办,2021-06-01\n430102-002,居民身份证换领,长株潭,2021年7月1日\n';
    const res = await upload(ITEMS, iconv.encode(text, 'gb18030'), '事项.csv');
    expect(res.status).toBe(200);
    expect(await stored(ITEMS)).toEqual([
      { itemCode: '430102-001', itemName: '营业执照变更登记', scope: 'inter_provincial', addedAt: '2021-06-01' },
      { itemCode: '430102-002', itemName: '居民身份证换领', scope: 'changzhutan', addedAt: '2021-07-01' },
    ]);
  });

  it('takes an XLSX with English headers (any case), numbers and date cells', async () => {
    const file = await xlsx([
      ['ItemCode', 'itemName', 'SCOPE', 'addedAt'],
      [430102003, '不动产登记', 'inter_provincial', new Date(Date.UTC(2021, 7, 2))],
    ]);
    const res = await upload(ITEMS, file, 'items.xlsx');
    expect(res.status).toBe(200);
    expect(await stored(ITEMS)).toEqual([
      { itemCode: '430102003', itemName: '不动产登记', scope: 'inter_provincial', addedAt: '2021-08-02' },
    ]);
  });

  it('names every bad row by its row number and replaces nothing', async () => {
    const before = await stored(PARTNERS);
    expect(before.length).toBe(2);
    const text = [
      'region,scope,signedAt',
      '长沙市岳麓区,长株潭,2021-01-01',
      ',跨省通办,2021-01-02', // row 3: no region
      '株洲市天元区,长株潭,2021-02-30', // row 4: no such day
      '长沙市岳麓区,长株潭,2021-03-01', // row 5: listed twice
      '北京市东城区,全国,2021-04-01', // row 6: unknown scope
    ].join('\n');
    const res = await upload(PARTNERS, text, 'partners.csv');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: { rejected: { row: number; errors: string[] }[] } } };
    expect(body.error.code).toBe('validation_failed');
    const rejected = body.error.details.rejected;
    expect(rejected.map((r) => r.row)).toEqual([3, 4, 5, 6]);
    // In Chinese, the default (no Accept-Language).
    expect(rejected[0]!.errors.join()).toBe('地区（region）：必填');
    expect(rejected[1]!.errors.join()).toMatch(/^签约日期（signedAt）：/);
    expect(rejected[2]!.errors.join()).toMatch(/已在第 2 行列出/);
    expect(rejected[3]!.errors.join()).toMatch(/^范围（scope）：/);
    expect(await stored(PARTNERS)).toEqual(before);
  });

  it('refuses a file that lacks a column, naming it', async () => {
    const res = await upload(PARTNERS, '地区,范围\n长沙市岳麓区,长株潭\n', 'partners.csv');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/签约日期 \(signedAt\)/);
  });

  it('is for administrators only, and each replacement is in the audit log', async () => {
    const created = await fetch(`${app.baseUrl}/api/admin/users`, {
      method: 'POST',
      headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'lisi', password: 'manager-pass-1', role: 'manager' }),
    });
    expect(created.status).toBe(201);
    const manager = await app.login('lisi', 'manager-pass-1');
    expect((await upload(PARTNERS, PARTNER_ROWS, 'p.csv', manager)).status).toBe(403);
    expect((await fetch(`${app.baseUrl}${ITEMS}.csv`, { method: 'PUT', body: 'x' })).status).toBe(401);
    const audit = (await (await app.get('/api/admin/audit', admin)).json()) as {
      entries: { action: string; target: string; details?: unknown }[];
    };
    const files = audit.entries.filter((e) => e.action === 'reference.replace');
    expect(files.map((e) => e.target).sort()).toEqual(['cross-region-items', 'cross-region-items', 'cross-region-partners']);
    expect(JSON.stringify(files)).toContain('事项.csv');
  });
});
