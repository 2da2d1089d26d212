import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { readRows } from '../../core/imports/file-rows.ts';

const dir = mkdtempSync(join(tmpdir(), 'pulse-xlsx-mb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('XLSX with Chinese text', () => {
  // exceljs's streaming reader decoded each 16 KB chunk on its own, so a character split across two
  // chunks came out as U+FFFD (about one row in ten thousand); patches/exceljs+*.patch decodes across chunks.
  it('reads every character of a sheet much larger than one stream chunk', async () => {
    const path = join(dir, 'channels.xlsx');
    const book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: false });
    const sheet = book.addWorksheet('办件量');
    sheet.addRow(['渠道', '事项名称']).commit();
    const channels = ['网上办', '掌上办', '窗口办', '自助办'];
    for (let i = 0; i < 30_000; i++) sheet.addRow([channels[i % 4], `不动产登记事项${i}`]).commit();
    sheet.commit();
    await book.commit();

    let rows = 0;
    const garbled: string[] = [];
    for await (const { cells } of readRows(path)) {
      rows++;
      const text = `${String(cells['渠道'])}${String(cells['事项名称'])}`;
      if (text.includes('\uFFFD')) garbled.push(text);
    }
    expect(rows).toBe(30_000);
    expect(garbled).toEqual([]);
  });
});
