import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRows } from '../../core/imports/file-rows.ts';
import { isTicketRowHeader } from '../../core/imports/ticket-rows.ts';
import { STREETS } from '../../scripts/simulator/catalogue.ts';
import {
  HALL_QUEUE_HEADER,
  ONLINE_VOLUME_HEADER,
  TICKET_ROW_HEADER,
  exportYearFiles,
  type ExportedFile,
} from '../../scripts/simulator/export-files.ts';
import { generateYear } from '../../scripts/simulator/year.ts';

/**
 * A generated year written in the bureau's export layouts and read back the way an office would open
 * them: exceljs for the XLSX files, iconv-lite for the GB18030 CSV that Excel on Chinese Windows saves.
 */

const YEAR = 2022;
const { feeds, expected } = generateYear({ year: YEAR, seed: 42, scale: 0.002 });
const dir = mkdtempSync(join(tmpdir(), 'pulse-sim-export-'));
let files: ExportedFile[];
const file = (name: string) => join(dir, name);

const tickets = new Set(feeds.hotline.map((r) => String(r.ticketId)));
const queueRecords = feeds.hall.filter((r) => r.type !== 'footfall' && r.type !== '客流');

async function readSheet(path: string): Promise<ExcelJS.Worksheet> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book.worksheets[0]!;
}

const rowValues = (sheet: ExcelJS.Worksheet, n: number) => (sheet.getRow(n).values as unknown[]).slice(1);

beforeAll(async () => {
  files = await exportYearFiles(feeds, { outDir: dir, year: YEAR });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('12345 ticket row files', () => {
  it('XLSX: the Chinese header, one row per ticket, milestone times as date cells', async () => {
    const sheet = await readSheet(file(`12345-tickets-${YEAR}.xlsx`));
    expect(rowValues(sheet, 1)).toEqual([...TICKET_ROW_HEADER]);
    expect(sheet.actualRowCount - 1).toBe(tickets.size);
    expect(files.find((f) => basename(f.path) === `12345-tickets-${YEAR}.xlsx`)?.rows).toBe(tickets.size);

    const first = feeds.hotline.find((r) => r.ticketId === rowValues(sheet, 2)[0] && (r.type === 'received' || r.type === '受理'))!;
    const receivedCell = sheet.getRow(2).getCell(2);
    expect(receivedCell.value).toBeInstanceOf(Date);
    // The cell shows the local time the record carries (exceljs reads a date cell back as that wall time in UTC).
    expect((receivedCell.value as Date).toISOString().slice(0, 19)).toBe(String(first.at).slice(0, 19));
    expect(receivedCell.numFmt).toBe('yyyy-mm-dd hh:mm:ss');
  });

  it('CSV: GB18030 as Excel on Chinese Windows saves it, with CRLF and no BOM', () => {
    const raw = readFileSync(file(`12345-tickets-${YEAR}.csv`));
    expect([...raw.subarray(0, 3)]).not.toEqual([0xef, 0xbb, 0xbf]);
    const text = iconv.decode(raw, 'gb18030');
    expect(Buffer.from(text, 'utf8').equals(raw)).toBe(false); // really not UTF-8
    const lines = text.split('\r\n').filter((l) => l !== '');
    expect(lines[0]).toBe(TICKET_ROW_HEADER.join(','));
    expect(lines.length - 1).toBe(tickets.size);
    const cells = lines[1]!.split(',');
    expect(cells[1]).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(STREETS).toContain(cells[10]);
    expect(['普通', '复杂', '紧急']).toContain(cells[8]);
  });

  it('is a file Pulse recognises as ticket rows, in either format', async () => {
    for (const name of [`12345-tickets-${YEAR}.csv`, `12345-tickets-${YEAR}.xlsx`]) {
      let rows = 0;
      for await (const row of readRows(file(name))) {
        if (rows === 0) expect(isTicketRowHeader(Object.keys(row.cells)), name).toBe(true);
        rows++;
      }
      expect(rows, name).toBe(tickets.size);
    }
  });
});

describe('hall queue log', () => {
  it('CSV: UTF-8 with BOM, one row per queue record with Chinese step labels', () => {
    const raw = readFileSync(file(`hall-queue-${YEAR}.csv`));
    expect([...raw.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = raw
      .toString('utf8')
      .slice(1)
      .split('\r\n')
      .filter((l) => l !== '');
    expect(lines[0]).toBe(HALL_QUEUE_HEADER.join(','));
    expect(lines.length - 1).toBe(queueRecords.length);
    const steps = new Set(lines.slice(1).map((l) => l.split(',')[1]));
    expect([...steps].sort()).toEqual(['办结', '取号', '叫号', '过号'].sort());
  });

  it('XLSX: the same rows, times as date cells', async () => {
    const sheet = await readSheet(file(`hall-queue-${YEAR}.xlsx`));
    expect(rowValues(sheet, 1)).toEqual([...HALL_QUEUE_HEADER]);
    expect(sheet.actualRowCount - 1).toBe(queueRecords.length);
    expect(sheet.getRow(2).getCell(3).value).toBeInstanceOf(Date);
  });

  it('continues in further files beyond the rows one file may hold', async () => {
    const small = join(dir, 'split');
    const parts = await exportYearFiles({ hall: feeds.hall }, { outDir: small, year: YEAR, kinds: ['hallQueue'], maxRowsPerFile: 1_000 });
    const xlsx = parts.filter((p) => p.path.endsWith('.xlsx'));
    const names = (ext: string) =>
      Array.from(
        { length: Math.ceil(queueRecords.length / 1_000) },
        (_, i) => `hall-queue-${YEAR}${i === 0 ? '' : `-part${i + 1}`}.${ext}`,
      );
    expect(xlsx.map((p) => basename(p.path))).toEqual(names('xlsx'));
    expect(parts.filter((p) => p.path.endsWith('.csv')).map((p) => basename(p.path))).toEqual(names('csv'));
    let total = 0;
    for (const part of xlsx) {
      const sheet = await readSheet(part.path);
      expect(rowValues(sheet, 1)).toEqual([...HALL_QUEUE_HEADER]);
      total += sheet.actualRowCount - 1;
    }
    expect(total).toBe(queueRecords.length);
  });
});

describe('一网通办 monthly volume sheets', () => {
  it('one XLSX a month whose 办件量 add up to the year, corrections applied once', async () => {
    const monthly = files.filter((f) => /online-volume-\d{4}-\d{2}\.xlsx$/.test(f.path));
    expect(monthly).toHaveLength(12);
    let volume = 0;
    let rows = 0;
    for (const f of monthly) {
      const sheet = await readSheet(f.path);
      expect(rowValues(sheet, 1)).toEqual([...ONLINE_VOLUME_HEADER]);
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        rows++;
        volume += Number(row.getCell(7).value);
        expect(row.getCell(1).value).toBeInstanceOf(Date);
        expect(['网上办', '掌上办', '窗口办', '自助办']).toContain(row.getCell(5).value);
      });
    }
    const keys = new Set(feeds.online.map((r) => `${r.date}|${r.itemCode}|${r.channel}`));
    expect(rows).toBeLessThanOrEqual(keys.size);
    expect(volume).toBe(expected.kpis['online.volume']);
  });
});
