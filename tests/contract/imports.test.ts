import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import type { ImportProgress } from '../../shared/socket-events.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let token: string;
const dir = mkdtempSync(join(tmpdir(), 'pulse-imports-'));

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
});
afterAll(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
});

async function upload(feed: string, path: string, name: string): Promise<Response> {
  const form = new FormData();
  form.set('feed', feed);
  form.set('file', new Blob([readFileSync(path)]), name);
  return fetch(`${app.baseUrl}/api/imports`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form });
}

async function finished(importId: string): Promise<ImportProgress & { rejected: { row: number; errors: string[] }[] }> {
  for (let i = 0; i < 400; i++) {
    const body = (await (await app.get(`/api/imports/${importId}`, token)).json()) as ImportProgress & {
      rejected: { row: number; errors: string[] }[];
    };
    if (body.phase === 'done' || body.phase === 'failed') return body;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

async function ticketRowXlsx(path: string, rows: (string | Date | null)[][]): Promise<void> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('工单');
  sheet.addRow([
    '工单编号',
    '受理时间',
    '签收时间',
    '响应时间',
    '办结时间',
    '回访时间',
    '是否解决',
    '满意度',
    '工单类型',
    '诉求分类',
    '所属街道',
    '来电号码',
  ]);
  for (const row of rows) sheet.addRow(row);
  await book.xlsx.writeFile(path);
}

const at = (day: number, hour: number, minute = 0) => new Date(Date.UTC(2022, 3, day, hour, minute)); // an Excel date cell: wall-clock time

describe('file imports', () => {
  it('imports a GB18030 CSV with Chinese headers, pushes progress in order, and reports bad rows by row number', async () => {
    const csv = [
      '工单编号,环节,时间,工单类型,所属街道,是否解决,满意度',
      'F1,签收,2022/4/1 9:00,普通,文艺路街道,,',
      'F1,回访,2022年4月2日 10:00,,,是,满意',
      'F2,签收,2022-04-01 09:30:00,复杂,朝阳街道,,',
      'F3,签收,2022-13-01 09:30:00,,,,',
      ',回访,2022-04-02 10:00,,,否,不满意',
    ].join('\r\n');
    const path = join(dir, 'tickets-gb.csv');
    writeFileSync(path, iconv.encode(csv, 'gb18030'));

    const socket = app.connectLive(token);
    await new Promise<void>((resolve) => socket.once('snapshot', () => resolve()));
    const events: ImportProgress[] = [];
    socket.on('import:progress', (p: ImportProgress) => events.push(p));

    const res = await upload('hotline', path, '工单.csv');
    expect(res.status).toBe(202);
    const { importId } = (await res.json()) as { importId: string };
    const current = await socket.emitWithAck('import:watch', importId);
    expect(current?.importId).toBe(importId);
    const result = await finished(importId);

    expect(result).toMatchObject({
      phase: 'done',
      rowsRead: 5,
      recordsQueued: 3,
      rejectedRows: 2,
      counts: { accepted: 3, duplicate: 0, conflict: 0 },
    });
    expect(result.rejected.map((r) => r.row)).toEqual([5, 6]);
    expect(result.rejected[0]!.errors[0]).toMatch(/时间/);
    expect(result.rejected[1]).toMatchObject({
      errors: ['工单编号（ticketId）：必填'],
      reasons: [{ code: 'record.required', field: 'ticketId' }],
    });
    // The rows keep reasons, not sentences: an English reader of the same import reads them in English.
    const inEnglish = (await (
      await fetch(`${app.baseUrl}/api/imports/${importId}`, {
        headers: { authorization: `Bearer ${token}`, 'accept-language': 'en-GB,en;q=0.9' },
      })
    ).json()) as { rejected: { errors: string[] }[] };
    expect(inEnglish.rejected[1]!.errors).toEqual(['ticketId (工单编号): is required']);
    await expect.poll(() => events.at(-1)?.phase).toBe('done');
    const phases = events.map((e) => e.phase);
    expect(phases.indexOf('applying')).toBeLessThan(phases.lastIndexOf('done'));
    expect(events.map((e) => e.rowsRead)).toEqual([...events.map((e) => e.rowsRead)].sort((a, b) => a - b));

    const kpis = ((await (await app.get('/api/kpis?from=2022-04-01&to=2022-04-30', token)).json()) as KpisResponse).kpis;
    expect(kpis['hotline.signed']).toMatchObject({ value: 2 });
    expect(kpis['hotline.resolutionRate']).toMatchObject({ numerator: 1, denominator: 1 });

    const download = await app.get(`/api/imports/${importId}/rejected.csv`, token);
    expect(download.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await download.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // a BOM, so Excel reads UTF-8
    expect(bytes.subarray(3).toString('utf8')).toMatch(/^行号 row,原因 reasons\r\n5,/);
  });

  it('imports a ticket-row XLSX twice without counting twice, then a later export adds only what is new', async () => {
    const first = join(dir, 'export-1.xlsx');
    await ticketRowXlsx(first, [
      ['GD-1', at(10, 8, 50), at(10, 9), at(10, 9, 30), null, null, null, null, '普通', '城市管理', '东湖街道', '13800001234'],
      ['GD-2', at(11, 8), at(11, 8, 30), at(11, 9), at(12, 15), at(13, 10), '是', '非常满意', '普通', '住房保障', '东湖街道', null],
    ]);
    const once = await finished(((await (await upload('hotline', first, 'export-1.xlsx')).json()) as { importId: string }).importId);
    expect(once.counts).toMatchObject({ accepted: 8, duplicate: 0 });
    const twice = await finished(((await (await upload('hotline', first, 'export-1.xlsx')).json()) as { importId: string }).importId);
    expect(twice.counts).toMatchObject({ accepted: 0, duplicate: 8, conflict: 0 });

    const later = join(dir, 'export-2.xlsx');
    await ticketRowXlsx(later, [
      [
        'GD-1',
        at(10, 8, 50),
        at(10, 9),
        at(10, 9, 30),
        at(14, 16),
        at(15, 9),
        '否',
        '不满意',
        '普通',
        '城市管理',
        '东湖街道',
        '13800001234',
      ],
      ['GD-2', at(11, 8), at(11, 8, 30), at(11, 9), at(12, 15), at(13, 10), '是', '非常满意', '普通', '住房保障', '东湖街道', null],
    ]);
    const third = await finished(((await (await upload('hotline', later, 'export-2.xlsx')).json()) as { importId: string }).importId);
    expect(third.counts).toMatchObject({ accepted: 2, duplicate: 8, conflict: 0 });

    const april = (await (await app.get('/api/kpis?from=2022-04-10&to=2022-04-30&groupBy=street', token)).json()) as KpisResponse & {
      groups: { key: string; kpis: KpisResponse['kpis'] }[];
    };
    expect(april.kpis).toMatchObject({
      'hotline.signed': { value: 2 },
      'hotline.completed': { value: 2 },
      'hotline.visited': { value: 2 },
    });
    expect(april.groups.map((g) => g.key)).toEqual(['东湖街道']);
  });

  it('gives the same figures as the same records sent over HTTP', async () => {
    const other = await startTestApp();
    try {
      await other.ingest('hotline', [
        { ticketId: 'F1', type: 'signed', at: '2022-04-01T09:00:00', urgency: 'normal', street: '文艺路街道' },
        { ticketId: 'F1', type: 'visited', at: '2022-04-02T10:00:00', resolved: true, satisfaction: 'satisfied' },
        { ticketId: 'F2', type: 'signed', at: '2022-04-01T09:30:00', urgency: 'complex', street: '朝阳街道' },
      ]);
      const otherToken = await other.login();
      await other.waitIdle(otherToken);
      const viaHttp = ((await (await other.get('/api/kpis?from=2022-04-01&to=2022-04-09', otherToken)).json()) as KpisResponse).kpis;
      const viaFile = ((await (await app.get('/api/kpis?from=2022-04-01&to=2022-04-09', token)).json()) as KpisResponse).kpis;
      expect(viaFile).toEqual(viaHttp);
    } finally {
      await other.close();
    }
  });

  it('answers clearly for an empty file, a header-only file, and a feed that is not one', async () => {
    const empty = join(dir, 'empty.csv');
    writeFileSync(empty, '');
    const emptyResult = await finished(((await (await upload('hall', empty, 'empty.csv')).json()) as { importId: string }).importId);
    expect(emptyResult).toMatchObject({ phase: 'failed', error: '文件为空', errorReason: { code: 'file.empty' } });
    const emptyInEnglish = await fetch(`${app.baseUrl}/api/imports/${emptyResult.importId}`, {
      headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' },
    });
    expect(((await emptyInEnglish.json()) as ImportProgress).error).toBe('the file is empty');

    const headerOnly = join(dir, 'header.csv');
    writeFileSync(headerOnly, '\uFEFF排队号,环节,时间,大厅\r\n');
    const headerResult = await finished(((await (await upload('hall', headerOnly, 'header.csv')).json()) as { importId: string }).importId);
    expect(headerResult).toMatchObject({ phase: 'failed', error: expect.stringMatching(/只有表头/) });

    const wrongFeed = await upload('weather', headerOnly, 'header.csv');
    expect(wrongFeed.status).toBe(400);
  });

  it('leaves nothing of an import in the temp folder: done, failed, refused, cut short or abandoned by the client', async () => {
    const temp = mkdtempSync(join(tmpdir(), 'pulse-imports-temp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp; // where the server (in this process) and its libraries put temp files
    /** The files under the temp folder, once the server has had up to 10 s to remove them. */
    const leftOver = async (): Promise<string[]> => {
      for (let i = 0; ; i++) {
        const files = (await readdir(temp, { recursive: true, withFileTypes: true }))
          .filter((e) => e.isFile())
          .map((e) => join(e.parentPath, e.name));
        if (files.length === 0 || i === 200) return files;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    try {
      const xlsx = join(dir, 'callers.xlsx');
      await ticketRowXlsx(xlsx, [
        ['GD-T1', at(20, 9), at(20, 9, 30), null, null, null, null, null, '普通', '城市管理', '东湖街道', '13800005678'],
      ]);
      const done = await finished(((await (await upload('hotline', xlsx, 'callers.xlsx')).json()) as { importId: string }).importId);
      expect(done.phase).toBe('done');
      expect(await leftOver()).toEqual([]);

      const headerOnly = join(dir, 'header-only.csv');
      writeFileSync(headerOnly, '工单编号,环节,时间,来电号码\r\n');
      const failed = await finished(
        ((await (await upload('hotline', headerOnly, 'header-only.csv')).json()) as { importId: string }).importId,
      );
      expect(failed.phase).toBe('failed');
      expect((await upload('weather', headerOnly, 'header-only.csv')).status).toBe(400);
      expect(await leftOver()).toEqual([]);

      // A form whose file part never ends: the upload is refused and what was written of it removed.
      const boundary = 'pulse-test-boundary';
      const head = `--${boundary}\r\nContent-Disposition: form-data; name="feed"\r\n\r\nhotline\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="callers.csv"\r\nContent-Type: text/csv\r\n\r\n工单编号,环节,时间,来电号码\r\nGD-T2,签收,2022-04-20 09:00,13800005678\r\n`;
      const cut = await fetch(`${app.baseUrl}/api/imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': `multipart/form-data; boundary=${boundary}` },
        body: head,
      });
      expect(cut.status).toBe(400);
      expect(await leftOver()).toEqual([]);

      // A client that goes away mid-upload, once the server has started writing its file.
      const req = request(`${app.baseUrl}/api/imports`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(10 * 2 ** 20),
        },
      });
      req.on('error', () => undefined);
      req.write(head);
      for (let i = 0; i < 200 && (await readdir(temp, { recursive: true })).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(await readdir(join(temp, 'pulse-uploads'))).toHaveLength(1);
      req.destroy();
      expect(await leftOver()).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
