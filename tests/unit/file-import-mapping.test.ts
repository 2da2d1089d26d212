import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { english } from '../support/messages.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FeedName, NormalizeContext } from '../../shared/feeds/feed.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { readRows } from '../../core/imports/file-rows.ts';
import { normalizeFileValues, normalizeTimeText } from '../../core/imports/file-values.ts';
import { createRowMapper } from '../../core/imports/row-mapper.ts';
import { expandTicketRow, isTicketRowHeader } from '../../core/imports/ticket-rows.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h(${p.slice(-4)})` };
let dir: string;
let fileNo = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-file-mapping-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Reads a file the way an import does (mapper built from the first row's keys), normalising every record. */
async function importFile(feed: FeedName, path: string, columnMap?: Record<string, string>) {
  const records: { id: string; [field: string]: unknown }[] = [];
  const rejected: { row: number; errors: string[] }[] = [];
  // Reasons as an English reader reads them.
  let mapper: ReturnType<typeof createRowMapper> | undefined;
  for await (const { rowNumber, cells } of readRows(path, { feed, columnMap })) {
    mapper ??= createRowMapper(feed, Object.keys(cells), { columnMap });
    const mapped = mapper.mapRow(cells);
    if ('errors' in mapped) {
      rejected.push({ row: rowNumber, errors: english(mapped.errors) });
      continue;
    }
    for (const raw of mapped.records) {
      const result = FEED_MODULES[feed]!.normalize(raw, ctx);
      if (result.ok) records.push(result.record);
      else rejected.push({ row: rowNumber, errors: english(result.errors) });
    }
  }
  return { records, rejected, mapper: mapper! };
}

async function csvFile(name: string, lines: string[], encoding: 'utf8' | 'gb18030' = 'utf8'): Promise<string> {
  const path = join(dir, `${++fileNo}-${name}`);
  await writeFile(path, iconv.encode(`${lines.join('\r\n')}\r\n`, encoding));
  return path;
}

async function xlsxFile(name: string, rows: unknown[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导出');
  for (const row of rows) sheet.addRow(row);
  const path = join(dir, `${++fileNo}-${name}`);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** Wall-clock time in Asia/Shanghai as epoch ms. */
const shanghai = (y: number, mo: number, d: number, h: number, mi: number, s = 0) => Date.UTC(y, mo - 1, d, h - 8, mi, s);

describe('file values: Excel and bureau time spellings', () => {
  it.each([
    ['2022-03-04 09:15:00', '2022-03-04T09:15:00'],
    ['2022-03-04 09:15', '2022-03-04T09:15:00'],
    ['2022/3/4 9:15', '2022-03-04T09:15:00'],
    ['2022/03/04 09:15:05', '2022-03-04T09:15:05'],
    ['2022年3月4日 9:15', '2022-03-04T09:15:00'],
    ['2022年3月4日 09:15:00', '2022-03-04T09:15:00'],
    ['2022年3月4日9:15', '2022-03-04T09:15:00'],
    ['2022/3/4', '2022-03-04'],
    ['2022年3月4日', '2022-03-04'],
    ['2022-03-04T09:15:00+08:00', '2022-03-04T09:15:00+08:00'],
    ['2022-03-04T01:15:00Z', '2022-03-04T01:15:00Z'],
    ['昨天', '昨天'],
  ])('%s → %s', (text, expected) => {
    expect(normalizeTimeText(text)).toBe(expected);
  });

  it('drops empty cells, rewrites only the feed’s time fields, keeps digit strings', () => {
    expect(
      normalizeFileValues('online', { date: '2022-03-04 00:00:00', itemCode: ' 2022/3/4 ', count: '12', itemName: '', department: '  ' }),
    ).toEqual({
      date: '2022-03-04',
      itemCode: '2022/3/4',
      count: '12',
    });
    expect(normalizeFileValues('online', { date: '2022-03-04 13:00:00' }).date).toBe('2022-03-04T13:00:00'); // refused by the feed
    expect(normalizeFileValues('hall', { at: '2022/3/4 8:30', asOf: '2022年3月5日 0:00', entries: 7 })).toEqual({
      at: '2022-03-04T08:30:00',
      asOf: '2022-03-05T00:00:00',
      entries: 7,
    });
  });

  it('accepts every spelling end to end as the same local time', async () => {
    const spellings = [
      '2022-03-04 09:15:00',
      '2022-03-04 09:15',
      '2022/3/4 9:15',
      '2022/03/04 09:15:00',
      '2022年3月4日 9:15',
      '2022年3月4日 09:15:00',
    ];
    const path = await csvFile('spellings.csv', ['工单编号,环节,时间', ...spellings.map((s, i) => `T${i},受理,${s}`)], 'gb18030');
    const { records, rejected } = await importFile('hotline', path);
    expect(rejected).toEqual([]);
    expect(records.map((r) => r.at)).toEqual(spellings.map(() => shanghai(2022, 3, 4, 9, 15)));
  });
});

describe('hotline ticket row files', () => {
  it('recognises a ticket row header', () => {
    expect(isTicketRowHeader(['工单编号', '受理时间', '诉求分类'])).toBe(true);
    expect(isTicketRowHeader(['ticketId', 'signedAt'])).toBe(true);
    expect(isTicketRowHeader(['工单编号', '环节', '时间', '受理时间'])).toBe(false);
    expect(isTicketRowHeader(['ticketId', 'type', 'at'])).toBe(false);
    expect(isTicketRowHeader(['工单编号', '诉求分类'])).toBe(false);
  });

  it('expands a row into one milestone per filled time, each carrying only its own fields', () => {
    const records = expandTicketRow({
      工单编号: 'GD1',
      受理时间: '2022-03-04T09:00:00',
      签收时间: '2022-03-04T09:10:00',
      响应时间: '',
      办结时间: '2022-03-05T10:00:00',
      回访时间: '2022-03-06T10:00:00',
      是否解决: '是',
      满意度: '满意',
      工单类型: '紧急',
      诉求分类: '城市管理',
      所属街道: '文艺路街道',
      承办单位: '区城管局',
      来源: '电话',
      办理时限: '2022-03-05T09:00:00',
      来电号码: '13812345678',
    });
    expect(records).toEqual([
      {
        ticketId: 'GD1',
        type: 'received',
        at: '2022-03-04T09:00:00',
        category: '城市管理',
        street: '文艺路街道',
        source: '电话',
        callerPhone: '13812345678',
      },
      {
        ticketId: 'GD1',
        type: 'signed',
        at: '2022-03-04T09:10:00',
        urgency: '紧急',
        category: '城市管理',
        street: '文艺路街道',
        department: '区城管局',
        source: '电话',
        deadline: '2022-03-05T09:00:00',
        callerPhone: '13812345678',
      },
      { ticketId: 'GD1', type: 'completed', at: '2022-03-05T10:00:00' },
      { ticketId: 'GD1', type: 'visited', at: '2022-03-06T10:00:00', resolved: '是', satisfaction: '满意' },
    ]);
  });

  it('re-importing a later export yields identical records for the milestones already imported', async () => {
    const header = [
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
    ];
    const at = (d: number, h: number, m: number) => new Date(Date.UTC(2022, 2, d, h, m)); // XLSX date cells: wall clock
    const first = await xlsxFile('export-0304.xlsx', [
      header,
      [
        'GD1',
        at(4, 9, 0),
        at(4, 9, 10),
        null,
        null,
        null,
        null,
        null,
        '紧急',
        '城市管理',
        '文艺路街道',
        '区城管局',
        '电话',
        at(5, 9, 0),
        '13812345678',
      ],
      ['GD2', at(4, 11, 0), null, null, null, null, null, null, null, '市场监管', '朝阳街道', null, '微信', null, null],
    ]);
    // the same tickets two days later, exported as CSV by Excel on Chinese Windows, times in its own spelling
    const later = await csvFile(
      'export-0306.csv',
      [
        header.join(','),
        'GD1,2022/3/4 9:00,2022/3/4 9:10,2022/3/4 9:30,2022/3/5 16:00,2022/3/6 10:00,是,满意,紧急,城市管理,文艺路街道,区城管局,电话,2022/3/5 9:00,13812345678',
        'GD2,2022/3/4 11:00,2022/3/4 11:20,,,,,,普通,市场监管,朝阳街道,区市场监管局,微信,,',
      ],
      'gb18030',
    );
    const a = await importFile('hotline', first);
    const b = await importFile('hotline', later);
    expect(a.mapper.ticketRows).toBe(true);
    expect(a.rejected).toEqual([]);
    expect(b.rejected).toEqual([]);
    expect(a.records.map((r) => `${r.ticketId}|${r.type}`)).toEqual(['GD1|received', 'GD1|signed', 'GD2|received']);
    for (const record of a.records) expect(b.records).toContainEqual(record); // same id, same content: a duplicate, not a conflict
    const known = new Set(a.records.map((r) => r.id));
    expect(b.records.filter((r) => !known.has(r.id)).map((r) => `${r.ticketId}|${r.type}`)).toEqual([
      'GD1|responded',
      'GD1|completed',
      'GD1|visited',
      'GD2|signed',
    ]);
    expect(b.records.find((r) => r.type === 'visited')).toMatchObject({
      resolved: true,
      satisfaction: 'satisfied',
      at: shanghai(2022, 3, 6, 10, 0),
    });
    expect(a.records[1]).toMatchObject({ urgency: 'urgent', deadline: shanghai(2022, 3, 5, 9, 0), callerHash: 'h(5678)' });
  });

  it('reports a ticket row without any milestone time', () => {
    const mapper = createRowMapper('hotline', ['工单编号', '受理时间', '诉求分类']);
    expect(mapper.mapRow({ 工单编号: 'GD3', 受理时间: '', 诉求分类: '城市管理' })).toEqual({ errors: [{ code: 'import.no_milestone' }] });
  });
});

describe('row mapper', () => {
  it('renames known columns, lists unknown ones, and leaves validation to the feed', () => {
    const mapper = createRowMapper('hotline', ['工单编号', '环节', '时间', '备注']);
    expect(mapper).toMatchObject({ recognised: ['工单编号', '环节', '时间'], unknownColumns: ['备注'], ticketRows: false });
    expect(mapper.mapRow({ 工单编号: 'T1', 环节: '受理', 时间: '2022/3/4 9:15', 备注: '加急' })).toEqual({
      records: [{ ticketId: 'T1', type: '受理', at: '2022-03-04T09:15:00' }],
    });
    expect(mapper.mapRow({ 工单编号: 'T1', 环节: '不存在', 时间: '' })).toEqual({ records: [{ ticketId: 'T1', type: '不存在' }] });
  });

  it('applies a user column map to unknown columns, also to make a ticket row file', () => {
    const events = createRowMapper('hotline', ['单号', '环节', '发生时间'], { columnMap: { 单号: '工单编号', 发生时间: 'at' } });
    expect(events.mapRow({ 单号: 'T1', 环节: 'signed', 发生时间: '2022/3/4 9:15' })).toEqual({
      records: [{ ticketId: 'T1', type: 'signed', at: '2022-03-04T09:15:00' }],
    });
    const tickets = createRowMapper('hotline', ['工单编号', '受理日期'], { columnMap: { 受理日期: 'receivedAt' } });
    expect(tickets.ticketRows).toBe(true);
    expect(tickets.mapRow({ 工单编号: 'T2', 受理日期: '2022年3月4日 8:00' })).toEqual({
      records: [{ ticketId: 'T2', type: 'received', at: '2022-03-04T08:00:00' }],
    });
  });

  it('refuses a column map to an unknown field and two columns giving the same field', () => {
    expect(() => createRowMapper('online', ['数量'], { columnMap: { 数量: 'amount' } })).toThrow(
      expect.objectContaining({ code: 'validation_failed' }),
    );
    expect(() => createRowMapper('hotline', ['时间', 'at'])).toThrow(expect.objectContaining({ code: 'validation_failed' }));
  });

  it('reads an online XLSX with date cells and numbers into valid records', async () => {
    const path = await xlsxFile('online.xlsx', [
      ['日期', '事项编码', '渠道', '办件量', '是否全程网办'],
      [new Date(Date.UTC(2022, 2, 4)), 'SX001', '掌上办', 12, '是'],
      ['2022/3/5', 'SX001', 'pc', '0', null],
    ]);
    const { records, rejected } = await importFile('online', path);
    expect(rejected).toEqual([]);
    expect(records).toMatchObject([
      { date: '2022-03-04', itemCode: 'SX001', channel: 'mobile', count: 12, fullyOnline: true },
      { date: '2022-03-05', itemCode: 'SX001', channel: 'pc', count: 0, fullyOnline: false },
    ]);
  });
});
