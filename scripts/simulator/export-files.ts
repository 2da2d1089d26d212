import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { once } from 'node:events';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { DISTRICT_HALL, SERVICE_ITEMS } from './catalogue.ts';
import type { FeedRecord } from './context.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { HALL_QUEUE_STEPS } from '../../core/feeds/hall/feed.ts';
import { HOTLINE_MILESTONES, HOTLINE_SOURCES, HOTLINE_URGENCIES, SATISFACTION_LEVELS } from '../../core/feeds/hotline/feed.ts';
import { ONLINE_CHANNELS } from '../../core/feeds/online/feed.ts';

/**
 * A generated year written the way the bureau's systems export it, for trying file imports:
 *
 * - the 12345 system's *ticket row* file (one row per ticket, 工单编号 … 来电号码, times `2022-03-04 09:15:00`)
 *   as XLSX (real date cells) and as CSV the way Excel on Chinese Windows saves it (GB18030, CRLF, no BOM);
 * - the hall's queue log (排队号, 环节 取号/叫号/办结/过号, 时间, 大厅, 窗口, 业务类型) as CSV UTF-8 with BOM and as XLSX;
 * - the 一网通办 platform's monthly volume sheet (日期 … 办件量), one XLSX per month, corrections applied.
 *
 * Every writer streams: rows are produced one at a time and committed, so a million-row file is written
 * in bounded memory. A file holds at most `maxRowsPerFile` data rows (default 1,000,000 — what Pulse
 * imports from one file, within Excel's 1,048,576-row sheet); beyond that the rows go on in
 * `…-part2.csv` / `…-part2.xlsx` and so on.
 */

export interface ExportOptions {
  outDir: string;
  /** Used in file names. */
  year: number;
  /** Which exports (default all three). */
  kinds?: readonly ExportKind[];
  /** Data rows per file (default 1,000,000: Pulse's import limit, and within Excel's 1,048,576-row sheet). */
  maxRowsPerFile?: number;
}

export type ExportKind = 'tickets' | 'hallQueue' | 'onlineMonthly';

export interface ExportedFile {
  path: string;
  /** Data rows, header not counted. */
  rows: number;
}

export const TICKET_ROW_HEADER = [
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
  '承办单位',
  '来源',
  '办理时限',
  '来电号码',
] as const;
export const HALL_QUEUE_HEADER = ['排队号', '环节', '时间', '大厅', '窗口', '业务类型'] as const;
export const ONLINE_VOLUME_HEADER = ['日期', '事项编码', '事项名称', '部门', '渠道', '是否全程网办', '办件量'] as const;

const MILESTONES = HOTLINE_MILESTONES;
const URGENCY = HOTLINE_URGENCIES;
const SOURCE = HOTLINE_SOURCES;
const SATISFACTION = SATISFACTION_LEVELS;
const QUEUE_STEPS = HALL_QUEUE_STEPS;
const CHANNELS = ONLINE_CHANNELS;
const ITEMS_BY_CODE = new Map(SERVICE_ITEMS.map((item) => [item.itemCode, item]));

/** A cell: text, a number, or a local time (written as a date cell in XLSX, `YYYY-MM-DD HH:mm:ss` in CSV). */
type Cell = string | number | LocalTime | LocalDate | null;

/** A wall-clock time, as `YYYY-MM-DDTHH:mm:ss`. */
class LocalTime {
  readonly iso: string;

  constructor(iso: string) {
    this.iso = iso;
  }
}

/** A calendar day, `YYYY-MM-DD`. */
class LocalDate {
  readonly iso: string;

  constructor(iso: string) {
    this.iso = iso;
  }
}

/** The label of an enumeration written as its code or its label; unknown values as given. */
function label<C extends string>(value: unknown, labels: Readonly<Record<C, string>>): string {
  const text = String(value);
  return (labels as Record<string, string>)[text] ?? text;
}

/** The code of an enumeration written as its code or its label. */
function code<C extends string>(value: unknown, labels: Readonly<Record<C, string>>): string {
  const text = String(value);
  return (Object.entries(labels) as [string, string][]).find(([, l]) => l === text)?.[0] ?? text;
}

const TRUE = new Set(['true', '1', '是', 'y', 'yes']);
const yesNo = (value: unknown) => (value === undefined ? null : TRUE.has(String(value).toLowerCase()) ? '是' : '否');

/** The simulator's times are local wall clock, with or without `+08:00`. */
const localTime = (value: unknown) => (value === undefined ? null : new LocalTime(String(value).slice(0, 19)));

interface TicketGroup {
  ticketId: string;
  byType: Map<string, FeedRecord>;
}

/** One row per ticket, from its milestone records (a ticket's records are contiguous, as generateYear writes them). */
export function* ticketRows(records: Iterable<FeedRecord>): Generator<Cell[]> {
  const done = new Set<string>();
  let current = null as TicketGroup | null;
  const row = (t: TicketGroup): Cell[] => {
    const m = (type: string) => t.byType.get(type);
    const attr = (key: string) =>
      ['signed', 'received', 'responded', 'completed', 'visited'].map((type) => m(type)?.[key]).find((v) => v !== undefined);
    const urgency = attr('urgency');
    return [
      t.ticketId,
      localTime(m('received')?.at),
      localTime(m('signed')?.at),
      localTime(m('responded')?.at),
      localTime(m('completed')?.at),
      localTime(m('visited')?.at),
      yesNo(m('visited')?.resolved),
      m('visited')?.satisfaction === undefined ? null : label(m('visited')!.satisfaction, SATISFACTION),
      // The hotline system always fills 工单类型; the feed leaves 普通 out as its default.
      urgency === undefined ? URGENCY.normal : label(urgency, URGENCY),
      (attr('category') as string | undefined) ?? null,
      (attr('street') as string | undefined) ?? null,
      (attr('department') as string | undefined) ?? null,
      attr('source') === undefined ? null : label(attr('source'), SOURCE),
      localTime(attr('deadline')),
      attr('callerPhone') === undefined ? null : String(attr('callerPhone')),
    ];
  };
  for (const record of records) {
    const ticketId = String(record.ticketId);
    if (current?.ticketId !== ticketId) {
      if (current) yield row(current);
      if (done.has(ticketId)) throw new Error(`the records of ticket ${ticketId} are not contiguous`);
      done.add(ticketId);
      current = { ticketId, byType: new Map() };
    }
    current.byType.set(code(record.type, MILESTONES), record);
  }
  if (current) yield row(current);
}

/** The queue log: one row per queue record (footfall rows are the entrance counters', not the queue's). */
export function* hallQueueRows(records: Iterable<FeedRecord>): Generator<Cell[]> {
  let visit = '';
  let service: string | null = null;
  let window: string | null = null;
  for (const r of records) {
    if (r.type === 'footfall' || r.type === '客流') continue;
    const hall = (r.hall as string | undefined) ?? DISTRICT_HALL;
    const key = `${hall}|${String(r.at).slice(0, 10)}|${String(r.queueId)}`;
    if (key !== visit) {
      visit = key;
      service = null;
      window = null;
    }
    service = (r.service as string | undefined) ?? service;
    window = (r.window as string | undefined) ?? window;
    const step = code(r.type, QUEUE_STEPS);
    yield [String(r.queueId), label(step, QUEUE_STEPS), localTime(r.at), hall, step === 'taken' ? null : window, service];
  }
}

/**
 * The platform's monthly sheets: `YYYY-MM` → rows of that month (date, item, channel), the final count
 * of each — a row sent twice (a first count and its `asOf` correction) is exported once, corrected.
 */
export function onlineMonthlyRows(records: Iterable<FeedRecord>): Map<string, Cell[][]> {
  const latest = new Map<string, { record: FeedRecord; asOf: string }>();
  for (const r of records) {
    const key = `${String(r.date)}|${String(r.itemCode)}|${code(r.channel, CHANNELS)}`;
    const asOf = r.asOf === undefined ? '' : String(r.asOf).slice(0, 19);
    const seen = latest.get(key);
    if (!seen || asOf >= seen.asOf) latest.set(key, { record: r, asOf });
  }
  const months = new Map<string, Cell[][]>();
  for (const key of [...latest.keys()].sort()) {
    const r = latest.get(key)!.record;
    const item = ITEMS_BY_CODE.get(String(r.itemCode));
    const month = String(r.date).slice(0, 7);
    let rows = months.get(month);
    if (!rows) months.set(month, (rows = []));
    rows.push([
      new LocalDate(String(r.date)),
      String(r.itemCode),
      (r.itemName as string | undefined) ?? item?.itemName ?? null,
      (r.department as string | undefined) ?? item?.department ?? null,
      label(code(r.channel, CHANNELS), CHANNELS),
      yesNo(r.fullyOnline) ?? '否',
      Number(r.count),
    ]);
  }
  return months;
}

const TIME_FORMAT = 'yyyy-mm-dd hh:mm:ss';
const DATE_FORMAT = 'yyyy-mm-dd';
const pad = (n: number) => String(n).padStart(2, '0');

function csvText(cell: Cell): string {
  if (cell === null) return '';
  const text = cell instanceof LocalTime ? cell.iso.replace('T', ' ') : cell instanceof LocalDate ? cell.iso : String(cell);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function write(out: WriteStream, chunk: Buffer | string): Promise<void> {
  if (!out.write(chunk)) await once(out, 'drain');
}

/**
 * CSV files as Excel saves them: CRLF line ends, fields quoted only when they must be. `gb18030` is
 * “CSV (逗号分隔)” on Chinese Windows (no BOM); `utf8-bom` is “CSV UTF-8”. After `maxRows` data rows the
 * next file (`<base>-part2.csv` …) begins, header repeated.
 */
export async function writeCsv(
  basePath: string,
  header: readonly string[],
  rows: Iterable<Cell[]>,
  encoding: 'gb18030' | 'utf8-bom',
  options: { maxRows?: number } = {},
): Promise<ExportedFile[]> {
  const maxRows = options.maxRows ?? 1_000_000;
  const encode = (text: string) => (encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8'));
  const files: ExportedFile[] = [];
  let out: WriteStream | null = null;
  let lines: string[] = [];
  const flushLines = async () => {
    if (out && lines.length > 0) await write(out, encode(`${lines.join('\r\n')}\r\n`));
    lines = [];
  };
  const close = async () => {
    if (!out) return;
    await flushLines();
    out.end();
    await once(out, 'close');
    out = null;
  };
  const open = async () => {
    const path = files.length === 0 ? `${basePath}.csv` : `${basePath}-part${files.length + 1}.csv`;
    out = createWriteStream(path);
    files.push({ path, rows: 0 });
    await write(out, encode(`${encoding === 'utf8-bom' ? '\uFEFF' : ''}${header.join(',')}\r\n`));
  };
  try {
    for (const row of rows) {
      if (!out || files.at(-1)!.rows === maxRows) {
        await close();
        await open();
      }
      lines.push(row.map(csvText).join(','));
      files.at(-1)!.rows++;
      if (lines.length === 2_000) await flushLines();
    }
    if (!out) await open();
  } finally {
    await close();
  }
  return files;
}

/** Excel's date cell for a wall time: exceljs writes a Date by its UTC fields. */
function xlsxValue(cell: Cell): ExcelJS.CellValue {
  if (cell instanceof LocalTime) return new Date(`${cell.iso}Z`);
  if (cell instanceof LocalDate) return new Date(`${cell.iso}T00:00:00Z`);
  return cell;
}

/**
 * Waits until the zip has taken what the sheet wrote. exceljs's sheet stream ignores backpressure: it
 * writes into the zip entry's PassThrough however full, so without this a fast producer piles the whole
 * sheet up in memory before deflate catches up. (Reaches into exceljs 4.4 internals; without them it
 * only yields to the event loop.)
 */
async function drained(sheet: ExcelJS.Worksheet): Promise<void> {
  type Sink = { _writableState?: { length: number; highWaterMark: number }; once(event: 'drain', cb: () => void): void };
  const sink = (sheet as unknown as { _stream?: { pipes?: Sink[] } })._stream?.pipes?.[0];
  const state = sink?._writableState;
  if (sink && state && state.length > state.highWaterMark) await new Promise<void>((resolve) => sink.once('drain', resolve));
  else await new Promise((resolve) => setImmediate(resolve));
}

/**
 * XLSX files with one sheet each, streamed (exceljs WorkbookWriter, no shared strings); times are date
 * cells formatted `yyyy-mm-dd hh:mm:ss` (days `yyyy-mm-dd`). After `maxRows` data rows the next file (`<base>-part2.xlsx` …) begins.
 */
export async function writeXlsx(
  basePath: string,
  sheetName: string,
  header: readonly string[],
  rows: Iterable<Cell[]>,
  options: { maxRows?: number } = {},
): Promise<ExportedFile[]> {
  const maxRows = options.maxRows ?? 1_000_000;
  const files: ExportedFile[] = [];
  let book: ExcelJS.stream.xlsx.WorkbookWriter | null = null;
  let sheet: ExcelJS.Worksheet | null = null;
  const open = () => {
    const path = files.length === 0 ? `${basePath}.xlsx` : `${basePath}-part${files.length + 1}.xlsx`;
    book = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
    sheet = book.addWorksheet(sheetName);
    sheet.columns = header.map((h, i) => ({ header: h, key: String(i), width: Math.max(10, h.length * 2 + 4) }));
    files.push({ path, rows: 0 });
  };
  const close = async () => {
    if (!book || !sheet) return;
    (sheet as ExcelJS.Worksheet).commit();
    await (book as ExcelJS.stream.xlsx.WorkbookWriter).commit();
    book = null;
    sheet = null;
  };
  for (const row of rows) {
    if (!sheet || files.at(-1)!.rows === maxRows) {
      await close();
      open();
    }
    const added = (sheet as unknown as ExcelJS.Worksheet).addRow(row.map(xlsxValue));
    row.forEach((cell, i) => {
      if (cell instanceof LocalTime) added.getCell(i + 1).numFmt = TIME_FORMAT;
      else if (cell instanceof LocalDate) added.getCell(i + 1).numFmt = DATE_FORMAT;
    });
    added.commit();
    const file = files.at(-1)!;
    if (++file.rows % 1_000 === 0) await drained(sheet as unknown as ExcelJS.Worksheet);
  }
  if (!sheet) open();
  await close();
  return files;
}

/** Writes the chosen exports of a generated year's records to `outDir`. */
export async function exportYearFiles(
  feeds: Readonly<Partial<Record<FeedName, readonly FeedRecord[]>>>,
  options: ExportOptions,
): Promise<ExportedFile[]> {
  const { outDir, year, kinds = ['tickets', 'hallQueue', 'onlineMonthly'], maxRowsPerFile } = options;
  await mkdir(outDir, { recursive: true });
  const limit = maxRowsPerFile === undefined ? {} : { maxRows: maxRowsPerFile };
  const files: ExportedFile[] = [];
  if (kinds.includes('tickets') && feeds.hotline) {
    files.push(
      ...(await writeXlsx(join(outDir, `12345-tickets-${year}`), '工单明细', TICKET_ROW_HEADER, ticketRows(feeds.hotline), limit)),
    );
    files.push(...(await writeCsv(join(outDir, `12345-tickets-${year}`), TICKET_ROW_HEADER, ticketRows(feeds.hotline), 'gb18030', limit)));
  }
  if (kinds.includes('hallQueue') && feeds.hall) {
    files.push(...(await writeCsv(join(outDir, `hall-queue-${year}`), HALL_QUEUE_HEADER, hallQueueRows(feeds.hall), 'utf8-bom', limit)));
    files.push(...(await writeXlsx(join(outDir, `hall-queue-${year}`), '排队记录', HALL_QUEUE_HEADER, hallQueueRows(feeds.hall), limit)));
  }
  if (kinds.includes('onlineMonthly') && feeds.online) {
    for (const [month, rows] of onlineMonthlyRows(feeds.online)) {
      const [y, m] = month.split('-').map(Number) as [number, number];
      files.push(...(await writeXlsx(join(outDir, `online-volume-${y}-${pad(m)}`), `${y}年${m}月`, ONLINE_VOLUME_HEADER, rows)));
    }
  }
  return files;
}
