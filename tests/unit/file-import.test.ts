import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { zip, type ZipEntry } from '../support/zip.ts';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../core/platform/errors.ts';
import { chineseOf } from '../support/messages.ts';
import { readRows, type FileRow, type ReadRowsOptions } from '../../core/imports/file-rows.ts';

const MB = 1024 * 1024;
let dir: string;
let fileNo = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pulse-file-import-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function fixture(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, `${++fileNo}-${name}`);
  await writeFile(path, content);
  return path;
}

async function collect(path: string, options: ReadRowsOptions = {}): Promise<FileRow[]> {
  const rows: FileRow[] = [];
  for await (const row of readRows(path, options)) rows.push(row);
  return rows;
}

/** The AppError reading `path` ends with, and the rows read before it. */
async function failure(path: string, options: ReadRowsOptions = {}): Promise<{ error: AppError; rows: FileRow[] }> {
  const rows: FileRow[] = [];
  try {
    for await (const row of readRows(path, options)) rows.push(row);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return { error: error as AppError, rows };
  }
  throw new Error('expected the read to fail');
}

async function xlsx(name: string, rows: unknown[][]): Promise<string> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('工单');
  rows.forEach((values, i) => {
    if (values.length > 0) sheet.getRow(i + 1).values = values as ExcelJS.CellValue[];
  });
  workbook.addWorksheet('第二页').addRow(['工单编号', '环节', '时间']); // never read: first worksheet only
  const path = join(dir, `${++fileNo}-${name}`);
  await workbook.xlsx.writeFile(path);
  return path;
}

/** A worksheet of inline-string cells: a header, then `rows` tickets with a caller number each (about 150 bytes a row). */
function sheetXml(rows: number): Buffer {
  const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
  const lines = [`<row r="1">${cell('A1', '工单编号')}${cell('B1', '来电号码')}</row>`];
  for (let i = 1; i <= rows; i++)
    lines.push(`<row r="${i + 1}">${cell(`A${i + 1}`, `GD${i}`)}${cell(`B${i + 1}`, `138${String(i).padStart(8, '0')}`)}</row>`);
  return Buffer.from(
    `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${lines.join('')}</sheetData></worksheet>`,
  );
}

/** A minimal XLSX around `sheets` (entries that may lie: see ZipEntry). */
function hostileXlsx(...sheets: ZipEntry[]): Buffer {
  return zip([
    { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
    { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
    ...sheets,
  ]);
}

const HEADER = ['工单编号', '环节', '时间', '诉求分类'];
const TEXT_ROWS = [
  ['GD2022030400001', '受理', '2022-03-04 09:15:00', '城市管理'],
  ['GD2022030400002', '签收', '2022-03-04 10:30:05', '住房保障, 物业'],
];
const EXPECTED: FileRow[] = [
  { rowNumber: 2, cells: { 工单编号: 'GD2022030400001', 环节: '受理', 时间: '2022-03-04 09:15:00', 诉求分类: '城市管理' } },
  { rowNumber: 4, cells: { 工单编号: 'GD2022030400002', 环节: '签收', 时间: '2022-03-04 10:30:05', 诉求分类: '住房保障, 物业' } },
];

function csvText(delimiter = ','): string {
  const quote = (cell: string) => (cell.includes(delimiter) ? `"${cell}"` : cell);
  const lines = [HEADER, TEXT_ROWS[0]!, [], TEXT_ROWS[1]!].map((r) => r.map(quote).join(delimiter));
  return `${lines.join('\r\n')}\r\n`;
}

describe('readRows: formats and encodings', () => {
  it('reads the same rows from UTF-8, UTF-8 BOM, GB18030 (comma and tab) and UTF-16 CSV', async () => {
    const files = [
      await fixture('utf8.csv', csvText()),
      await fixture('bom.csv', `\uFEFF${csvText()}`),
      await fixture('gb18030.csv', iconv.encode(csvText(), 'gb18030')),
      await fixture('gb18030.tsv', iconv.encode(csvText('\t'), 'gb18030')),
      await fixture('utf16.txt', iconv.encode(csvText('\t'), 'utf-16le', { addBOM: true })),
    ];
    for (const path of files) expect(await collect(path, { feed: 'hotline' })).toEqual(EXPECTED);
  });

  it('tells GB18030 from UTF-8 even when the first 64 KB are plain ASCII', async () => {
    const filler = Array.from({ length: 2_000 }, (_, i) => `T${i},received,2022-03-04T09:15:00,aaaaaaaaaaaaaaaaaaaa`).join('\n');
    const path = await fixture(
      'late.csv',
      iconv.encode(`ticketId,type,at,category\n${filler}\nT9,受理,2022-03-04 09:15,城市管理\n`, 'gb18030'),
    );
    const rows = await collect(path);
    expect(rows.at(-1)).toEqual({
      rowNumber: 2_002,
      cells: { ticketId: 'T9', type: '受理', at: '2022-03-04 09:15', category: '城市管理' },
    });
  });

  it('reads the same rows from an XLSX with Chinese headers and real date cells', async () => {
    const path = await xlsx('tickets.xlsx', [
      [' 工单编号 ', '环节', '时间', '诉求分类'],
      ['GD2022030400001', '受理', new Date(Date.UTC(2022, 2, 4, 9, 15, 0)), { richText: [{ text: '城市' }, { text: '管理' }] }],
      [],
      [
        'GD2022030400002',
        { formula: '"签"&"收"', result: '签收' },
        new Date(Date.UTC(2022, 2, 4, 10, 30, 5)),
        { text: '住房保障, 物业', hyperlink: 'https://example.org' },
      ],
    ]);
    expect(await collect(path, { feed: 'hotline' })).toEqual(EXPECTED);
  });

  it('keeps XLSX date cells at the wall-clock time Excel shows, whatever the process time zone', async () => {
    const previous = process.env.TZ;
    process.env.TZ = 'America/New_York';
    try {
      const path = await xlsx('dates.xlsx', [
        ['评价编号', '评价时间'],
        ['E1', new Date(Date.UTC(2022, 11, 31, 23, 30, 0))],
        ['E2', new Date(Date.UTC(2023, 0, 1, 0, 0, 0))],
      ]);
      const rows = await collect(path, { feed: 'evaluations' });
      expect(rows.map((r) => r.cells['评价时间'])).toEqual(['2022-12-31 23:30:00', '2023-01-01 00:00:00']);
    } finally {
      if (previous === undefined) delete process.env.TZ;
      else process.env.TZ = previous;
    }
  });

  it('numbers rows as Excel shows them: blank lines count, a quoted cell over several lines is one row', async () => {
    const path = await fixture(
      'rows.csv',
      '\n工单编号,环节,时间,备注\nT1,受理,2022-03-04 09:00,"第一行\n第二行"\n,,,\nT2,签收,2022-03-04 10:00,\n',
    );
    const rows = await collect(path);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 5]);
    expect(rows[0]!.cells['备注']).toBe('第一行\n第二行');
    // every header is a key of every row, an empty cell is ''
    expect(rows[1]!.cells).toEqual({ 工单编号: 'T2', 环节: '签收', 时间: '2022-03-04 10:00', 备注: '' });
  });

  it('reports the bytes read, up to the file size', async () => {
    const path = await fixture('progress.csv', csvText());
    let bytesRead = 0;
    await collect(path, { onBytes: (n) => (bytesRead = n) });
    expect(bytesRead).toBe((await stat(path)).size);
  });
});

describe('readRows: refusals', () => {
  it('refuses an empty file, a BOM-only file and an XLSX without rows', async () => {
    for (const path of [await fixture('empty.csv', ''), await fixture('bom-only.csv', '\uFEFF\r\n'), await xlsx('empty.xlsx', [])]) {
      const { error } = await failure(path);
      expect(error).toMatchObject({ code: 'validation_failed', reason: { code: 'file.empty' }, message: 'the file is empty' });
      expect(chineseOf(error)).toBe('文件为空');
    }
  });

  it('refuses a header-only file, CSV or XLSX', async () => {
    for (const path of [
      await fixture('header.csv', '工单编号,环节,时间\r\n\r\n'),
      await xlsx('header.xlsx', [['工单编号', '环节', '时间']]),
    ]) {
      const { error } = await failure(path, { feed: 'hotline' });
      expect(error.code).toBe('validation_failed');
      expect(chineseOf(error)).toBe('只有表头，没有数据行');
      expect(error.message).toBe('the file has a header row but no data rows');
    }
  });

  it('refuses a header naming no column of the feed, listing found and expected columns', async () => {
    const path = await fixture('unknown.csv', '姓名,年龄\n张三,30\n');
    const { error, rows } = await failure(path, { feed: 'online' });
    expect(rows).toEqual([]);
    expect(error.code).toBe('validation_failed');
    expect(error.message).toContain('姓名, 年龄');
    expect(error.message).toContain('办件量/count');
    // a column the user mapped is known
    expect(await collect(path, { feed: 'online', columnMap: { 年龄: 'count' } })).toHaveLength(1);
  });

  it('stops with payload_too_large after maxRows data rows', async () => {
    const lines = Array.from({ length: 10 }, (_, i) => `T${i},受理,2022-03-04 09:15`);
    const path = await fixture('many.csv', `工单编号,环节,时间\n${lines.join('\n')}\n`);
    const { error, rows } = await failure(path, { maxRows: 5 });
    expect(rows).toHaveLength(5);
    expect(error.code).toBe('payload_too_large');
    expect(error.message).toContain('5');
    expect(await collect(path, { maxRows: 10 })).toHaveLength(10);
    const book = await xlsx('many.xlsx', [['工单编号', '环节', '时间'], ...lines.map((l) => l.split(','))]);
    const fromXlsx = await failure(book, { maxRows: 5 });
    expect(fromXlsx.rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5, 6]);
    expect(fromXlsx.error.code).toBe('payload_too_large');
  });

  it('refuses a file larger than maxBytes before reading it', async () => {
    const path = await fixture('big.csv', csvText());
    const { error } = await failure(path, { maxBytes: 10 });
    expect(error.code).toBe('payload_too_large');
  });

  it('refuses a zip bomb from its central directory', async () => {
    const bomb = zip([
      { name: '[Content_Types].xml', data: Buffer.from('<Types/>') },
      { name: 'xl/workbook.xml', data: Buffer.from('<workbook/>') },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.alloc(60 * MB) },
    ]);
    expect(bomb.length).toBeLessThan(MB);
    const { error } = await failure(await fixture('bomb.xlsx', bomb));
    expect(error.code).toBe('payload_too_large');
    expect(chineseOf(error)).toContain('XLSX 解压后过大');
  });

  it('refuses an XLSX whose entries expand past maxUncompressedBytes', async () => {
    const path = await xlsx('normal.xlsx', [['工单编号'], ['T1']]);
    const { error } = await failure(path, { maxUncompressedBytes: 1_000 });
    expect(error).toMatchObject({ code: 'payload_too_large' });
    expect(chineseOf(error)).toContain('XLSX 解压后超过');
    expect(error.message).toContain('the XLSX expands to more than');
  });

  it('inflates no worksheet the central directory does not list', async () => {
    // The local entries hold a 4 MB sheet of caller numbers the directory leaves out, then the listed sheet.
    const path = await fixture(
      'hidden.xlsx',
      hostileXlsx(
        { name: 'xl/worksheets/sheet1.xml', data: sheetXml(40_000), listed: false },
        { name: 'xl/worksheets/sheet1.xml', data: sheetXml(1) },
      ),
    );
    expect(await collect(path, { maxUncompressedBytes: MB })).toEqual([
      { rowNumber: 2, cells: { 工单编号: 'GD1', 来电号码: '13800000001' } },
    ]);
  });

  it('stops inflating at maxUncompressedBytes, whatever the entries declare', async () => {
    const path = await fixture('liar.xlsx', hostileXlsx({ name: 'xl/worksheets/sheet1.xml', data: sheetXml(40_000), declaredSize: 1_000 }));
    const { error, rows } = await failure(path, { maxUncompressedBytes: MB });
    expect(error).toMatchObject({ code: 'payload_too_large', details: { entry: 'xl/worksheets/sheet1.xml' } });
    expect(chineseOf(error)).toBe('XLSX 解压后超过 1 MB：xl/worksheets/sheet1.xml 解压出的数据多于其声明的大小');
    expect(error.message).toBe('the XLSX expands to more than 1 MB: xl/worksheets/sheet1.xml inflates to more than it declares');
    expect(rows.length).toBeLessThan(MB / 100); // a row is over 100 bytes of XML: nothing was read past the limit
  });

  it('refuses a zip that is not an XLSX, a legacy .xls and a binary file', async () => {
    const notXlsx = await fixture('notes.xlsx', zip([{ name: 'readme.txt', data: Buffer.from('hello') }]));
    const xls = await fixture('old.xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]));
    const binary = await fixture('image.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    for (const path of [notXlsx, xls, binary]) expect((await failure(path)).error.code).toBe('unsupported_media_type');
  });

  it('refuses a malformed CSV with its row number', async () => {
    const path = await fixture('quote.csv', '工单编号,环节,时间\nT1,受理,2022-03-04 09:15\nT2,"签收,2022-03-04 09:15\n');
    const { error } = await failure(path);
    expect(error.code).toBe('validation_failed');
    expect(chineseOf(error)).toContain('第 3 行');
  });
  it('leaves nothing in the temp folder, whether an XLSX is read to its end, stopped early or refused', async () => {
    const temp = await mkdtemp(join(tmpdir(), 'pulse-file-import-temp-'));
    const previous = process.env.TMPDIR;
    process.env.TMPDIR = temp; // where os.tmpdir(), and so any library's temp file, goes
    try {
      const book = await xlsx('callers.xlsx', [
        ['工单编号', '来电号码'],
        ...Array.from({ length: 100 }, (_, i) => [`GD${i}`, `138${String(i).padStart(8, '0')}`]),
      ]);
      expect(await collect(book)).toHaveLength(100);
      expect(await readdir(temp)).toEqual([]);
      for await (const _ of readRows(book)) break; // as the import preview does
      expect(await readdir(temp)).toEqual([]);
      const liar = await fixture(
        'liar.xlsx',
        hostileXlsx({ name: 'xl/worksheets/sheet1.xml', data: sheetXml(20_000), declaredSize: 1_000 }),
      );
      expect((await failure(liar, { maxUncompressedBytes: MB })).error.code).toBe('payload_too_large');
      expect(await readdir(temp)).toEqual([]);
    } finally {
      if (previous === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = previous;
      await rm(temp, { recursive: true, force: true });
    }
  });
});

describe('readRows: streaming', () => {
  it('reads a 200,000-row CSV in bounded memory', async () => {
    const path = join(dir, 'large.csv');
    const out = createWriteStream(path);
    // 14 columns: keeping every row in memory would grow the heap by more than 100 MB (about 120 MB measured).
    out.write('工单编号,环节,时间,工单类型,诉求分类,所属街道,承办单位,来源,办理时限,来电号码,联系地址,诉求内容,处理意见,备注\n');
    for (let block = 0; block < 200; block++) {
      const lines = Array.from({ length: 1_000 }, (_, j) => {
        const i = block * 1_000 + j;
        const n = String(i).padStart(8, '0');
        return `GD20220304${n},受理,2022-03-04 09:15:00,普通,城市管理,文艺路街道,区城市管理和综合执法局,电话,2022-03-09 09:15:00,138${n},文艺路街道某小区${i}栋,市民反映小区门口占道经营,已转交街道处理,第${i}号\n`;
      });
      if (!out.write(lines.join(''))) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
    expect((await stat(path)).size).toBeGreaterThan(40 * MB);

    const baseline = process.memoryUsage().heapUsed;
    let peakGrowth = 0;
    let count = 0;
    let lastRow = 0;
    for await (const row of readRows(path, { feed: 'hotline' })) {
      count += 1;
      lastRow = row.rowNumber;
      if (count % 5_000 === 0) peakGrowth = Math.max(peakGrowth, process.memoryUsage().heapUsed - baseline);
    }
    expect(count).toBe(200_000);
    expect(lastRow).toBe(200_001);
    expect(peakGrowth).toBeLessThan(100 * MB);
  });
});
