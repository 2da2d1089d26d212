import ExcelJS from 'exceljs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse, SeriesResponse } from '../../shared/api-types.ts';
import type { KpiValue } from '../../shared/kpis.ts';
import { CROSS_REGION_ITEMS, PARTNER_REGIONS } from '../../scripts/simulator/catalogue.ts';
import { FEEDS, generateYear } from '../../scripts/simulator/year.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { APPENDIX_TABLES } from '../../core/export/export-model.ts';
import { KPI_BY_ID } from '../../shared/kpis.ts';

/**
 * A generated year (scripts/simulator) through the real app; then every format of the year-end export
 * must carry the KPI API's numbers for the same period: JSON as served, XLSX cells typed as numbers equal
 * to them, DOCX and Markdown text written from them by the report's rules (the expected strings are
 * built here from the API's numerators and denominators, not by the export's own code).
 */

const YEAR = 2022;
const { feeds } = generateYear({ year: YEAR, seed: 88, scale: 0.02, previousYear: true });
let app: TestApp;
let token: string;
let api: Record<string, KpiValue>;
let series: SeriesResponse;
/** The monthly series of every KPI of the appendix, as the KPI API serves it. */
let appendixSeries: SeriesResponse;

const auth = () => ({ authorization: `Bearer ${token}` });
async function call(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { ...auth(), 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function download(path: string): Promise<Buffer> {
  const res = await fetch(`${app.baseUrl}${path}`, { headers: auth() });
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

/** The text of word/document.xml, one line per paragraph, read back from the DOCX file. */
function docxXml(docx: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(docx, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entry.fileName !== 'word/document.xml') return zip.readEntry();
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
        });
      });
      zip.on('end', () => reject(new Error('no word/document.xml')));
      zip.readEntry();
    });
  });
}
const paragraphsOf = (xml: string) =>
  xml.split('</w:p>').map((p) => [...p.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join(''));

/** A rate rounded half up to an integer percent, from the served numerator and denominator. */
const pct = (v: KpiValue) => `${Math.floor((200 * v.numerator! + v.denominator!) / (2 * v.denominator!))}%`;

/** The sentences of the shipped template, written here from the API's numbers. */
function expectedSentences(k: Record<string, KpiValue>): string[] {
  const yoy = k['online.yoyMultiple']!;
  const sat = k['hotline.satisfactionRate']!;
  const satText = sat.numerator === sat.denominator ? '100%' : `${Math.floor((100 * sat.numerator!) / sat.denominator!)}%以上`;
  const avg = k['hall.dailyAvgVisitors']!.value!;
  // Floored to hundreds from 100 on, to tens below (a scaled-down year has a small hall).
  const step = avg >= 100 ? 100 : avg >= 10 ? 10 : 1;
  const avgText = Math.floor(avg / step) * step === avg ? String(avg) : `${Math.floor(avg / step) * step}余`;
  const partners = k['crossRegion.partners']!.breakdown!;
  return [
    `${YEAR}年，“一网通办”系统办件量共计${k['online.volume']!.value}件，是去年办件量（${yoy.denominator}件）的${Math.floor(yoy.numerator! / yoy.denominator!)}倍。`,
    `${YEAR}年，共签收“一呼即应”工单${k['hotline.signed']!.value}条，办结${k['hotline.completed']!.value}条，回访工单${k['hotline.visited']!.value}条，问题解决率${pct(k['hotline.resolutionRate']!)}，回访满意度达${satText}。`,
    `${YEAR}年，政务大厅接待政务服务事项达${k['hall.servedMatters']!.value}件次，日均人流量${avgText}人次。`,
    `已与${partners.inter_provincial}个地区签署“跨省通办”合作协议，与${partners.changzhutan}个地区签署“长株潭跨域通办”协议，梳理高频政务服务“跨省通办”事项${k['crossRegion.items']!.value}项，${YEAR}年受理跨域通办件${k['crossRegion.received']!.value}件、办结${k['crossRegion.completed']!.value}件。`,
    `${YEAR}年，政务服务“好差评”共收到评价${k['evaluations.count']!.value}条，好评率${pct(k['evaluations.positiveRate']!)}，差评${k['evaluations.negative']!.value}条。`,
  ];
}

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  for (const feed of FEEDS) {
    for (let i = 0; i < feeds[feed].length; i += 5_000) await app.ingest(feed, feeds[feed].slice(i, i + 5_000));
  }
  expect((await call('PUT', '/api/admin/reference/cross-region-partners', { items: PARTNER_REGIONS })).status).toBe(200);
  const items = CROSS_REGION_ITEMS.map((it) => ({ ...it, scope: 'inter_provincial', addedAt: '2022-01-01' }));
  expect((await call('PUT', '/api/admin/reference/cross-region-items', { items })).status).toBe(200);
  const targets = {
    'hotline.completionRate': { target: 0.95, direction: '>=' },
    'online.volume': { target: 10_000, direction: '>=' },
    'hotline.satisfactionRate': { target: 0.999, direction: '>=' },
  };
  expect((await call('PUT', `/api/admin/targets/${YEAR}`, targets)).status).toBe(200);
  for (let i = 0; i < 1_200; i++) {
    if (((await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean }).idle) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  api = ((await (await app.get(`/api/kpis?from=${YEAR}-01-01&to=${YEAR}-12-31`, token)).json()) as KpisResponse).kpis;
  const ids = ['hotline.signed', 'hotline.satisfactionRate', 'online.volume', 'hall.dailyAvgVisitors', 'evaluations.positiveRate'].join(
    ',',
  );
  series = (await (
    await app.get(`/api/kpis/series?ids=${ids}&from=${YEAR}-01-01&to=${YEAR}-12-31&interval=month`, token)
  ).json()) as SeriesResponse;
  const allIds = APPENDIX_TABLES.flatMap((t) => t.kpiIds).join(',');
  appendixSeries = (await (
    await app.get(`/api/kpis/series?ids=${allIds}&from=${YEAR}-01-01&to=${YEAR}-12-31&interval=month`, token)
  ).json()) as SeriesResponse;
}, 180_000);

/**
 * Every appendix row as table text, written here from the API's values: counts exact, rates with two
 * decimals, ratios and means with one, `—` for null; a row per month and the year's total.
 */
function expectedAppendixRows(): string[][] {
  const write = (id: string, v: KpiValue | undefined) => {
    const def = KPI_BY_ID.get(id)!;
    if (!v || v.value === null) return '—';
    if (def.unitZh === '%') return `${(Math.round(v.value * 10_000) / 100).toFixed(2)}%`;
    return def.kind === 'count' ? String(v.value) : String(Math.round(v.value * 10) / 10);
  };
  return APPENDIX_TABLES.flatMap((t) => [
    ...appendixSeries.buckets.map((b, i) => [
      `${Number(b.slice(5, 7))}月`,
      ...t.kpiIds.map((id) => write(id, appendixSeries.series[id]![i])),
    ]),
    ['合计', ...t.kpiIds.map((id) => write(id, api[id]))],
  ]);
}
afterAll(() => app?.close());

describe('the year-end export of a generated year', () => {
  it('has figures to export (the generated year arrived)', () => {
    expect(api['hotline.signed']!.value).toBeGreaterThan(0);
    expect(api['online.yoyMultiple']!.denominator).toBeGreaterThan(0);
    expect(api['crossRegion.partners']!.breakdown).toEqual({ inter_provincial: 15, changzhutan: 3 });
  });

  it('JSON carries the KPI API’s figures exactly, and the monthly appendix equals the API’s series', async () => {
    const json = JSON.parse((await download(`/api/export/annual?year=${YEAR}&format=json`)).toString('utf8')) as {
      kpis: Record<string, KpiValue>;
      sentences: string[];
      appendix: { kpiIds: string[]; rows: { bucket: string; values: KpiValue[] }[] }[];
    };
    expect(json.kpis).toEqual(api);
    expect(json.sentences).toEqual(expectedSentences(api));
    const hotline = json.appendix[0]!;
    const col = hotline.kpiIds.indexOf('hotline.signed');
    expect(hotline.rows.map((r) => r.values[col])).toEqual(series.series['hotline.signed']);
  });

  it('DOCX: the text read back from the file holds the sentences, the table values and the Chinese fonts', async () => {
    const xml = await docxXml(await download(`/api/export/annual?year=${YEAR}&format=docx`));
    const paragraphs = paragraphsOf(xml);
    for (const sentence of expectedSentences(api)) expect(paragraphs).toContain(sentence);
    // The appendix: each month's signed tickets and the year's total, as cells.
    for (const v of series.series['hotline.signed']!) expect(paragraphs).toContain(String(v.value));
    expect(paragraphs).toContain(String(api['hotline.signed']!.value)); // the appendix's total row
    expect(xml).toContain('w:eastAsia="仿宋"');
    expect(xml).toContain('w:eastAsia="黑体"');
    expect(xml).toMatch(/<w:pgSz w:w="1190[67]" w:h="1684[0-9]"/); // A4
    expect(xml).toContain('<w:drawing>'); // the charts
    expect(paragraphs).toContain(`${YEAR}年部门整体支出绩效评价报告数据`);
  });

  it('Markdown holds the same sentences and every appendix cell of every month', async () => {
    const md = (await download(`/api/export/annual?year=${YEAR}&format=md`)).toString('utf8');
    for (const sentence of expectedSentences(api)) expect(md).toContain(sentence);
    const rows = expectedAppendixRows();
    expect(rows.length).toBe(5 * 13);
    for (const row of rows) expect(md).toContain(`| ${row.join(' | ')} |`);
  });

  it('DOCX holds every appendix cell of every month, row by row', async () => {
    const stream = paragraphsOf(await docxXml(await download(`/api/export/annual?year=${YEAR}&format=docx`))).join('\u0001');
    for (const row of expectedAppendixRows()) expect(stream).toContain(row.join('\u0001'));
  });

  it('XLSX: every KPI cell is a number equal to the API’s value; rates keep a percent format; the appendix equals the series', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`/api/export/annual?year=${YEAR}&format=xlsx`)) as unknown as ExcelJS.Buffer);
    const all = book.getWorksheet('指标全表')!;
    let checked = 0;
    all.eachRow((row, n) => {
      if (n === 1) return;
      const id = String(row.getCell(1).value);
      const served = api[id]!;
      const cell = row.getCell(4);
      if (served.value === null) expect(cell.value, id).toBeNull();
      else {
        expect(typeof cell.value, id).toBe('number');
        expect(cell.value, id).toBe(served.value);
      }
      if (served.numerator !== undefined) expect(row.getCell(5).value, id).toBe(served.numerator);
      if (served.denominator !== undefined) expect(row.getCell(6).value, id).toBe(served.denominator);
      if (id === 'hotline.resolutionRate') expect(cell.numFmt).toContain('%');
      checked++;
    });
    expect(checked).toBe(Object.keys(api).length);
    const hotline = book.worksheets.find((s) => s.name.startsWith('附表1'))!;
    const header = Array.from(hotline.getRow(1).values as unknown[], (v) => String(v ?? ''));
    const col = header.findIndex((h) => h.startsWith('签收工单'));
    const months = series.series['hotline.signed']!.map((_, i) => hotline.getRow(i + 2).getCell(col).value);
    expect(months).toEqual(series.series['hotline.signed']!.map((v) => v.value));
    const satCol = header.findIndex((h) => h.startsWith('回访满意度'));
    expect(hotline.getRow(2).getCell(satCol).value).toBe(series.series['hotline.satisfactionRate']![0]!.value);
    const indicators = book.getWorksheet('绩效指标自评表')!;
    const completion = indicators.getRows(2, indicators.rowCount - 1)!.find((r) => r.getCell(4).value === 'hotline.completionRate')!;
    expect(completion.getCell(6).value).toBe(0.95);
    expect(completion.getCell(7).value).toBe(api['hotline.completionRate']!.value);
  });

  it('runs in the background with progress for the console, and records who exported which period', async () => {
    const res = await call('POST', '/api/exports', { from: `${YEAR}-03-01`, to: `${YEAR}-03-31`, formats: ['md', 'xlsx'] });
    expect(res.status).toBe(202);
    const { exportId } = (await res.json()) as { exportId: string };
    let status:
      { phase: string; stepsDone: number; stepsTotal: number; files: { format: string; url: string; fileName: string }[] } | undefined;
    for (let i = 0; i < 300; i++) {
      status = (await (await call('GET', `/api/exports/${exportId}`)).json()) as typeof status;
      if (status!.phase !== 'running') break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(status).toMatchObject({ phase: 'done', stepsDone: 3, stepsTotal: 3 });
    expect(status!.files.map((f) => f.format)).toEqual(['md', 'xlsx']);
    const md = (await download(status!.files[0]!.url)).toString('utf8');
    const march = ((await (await app.get(`/api/kpis?from=${YEAR}-03-01&to=${YEAR}-03-31`, token)).json()) as KpisResponse).kpis;
    expect(md).toContain(`${YEAR}年3月，共签收“一呼即应”工单${march['hotline.signed']!.value}条`);
    expect(md).toContain('3月1日');
    expect((await call('GET', `/api/exports/${exportId}/files/docx`)).status).toBe(404);
    expect((await call('GET', '/api/exports/nope')).status).toBe(404);

    const audit = (await (await call('GET', '/api/admin/audit?limit=50')).json()) as {
      entries: { actor: string; action: string; target: string }[];
    };
    const exports = audit.entries.filter((e) => e.action === 'export');
    expect(exports).toContainEqual(expect.objectContaining({ actor: 'admin', target: `${YEAR}-03-01~${YEAR}-03-31` }));
    expect(exports).toContainEqual(expect.objectContaining({ actor: 'admin', target: `${YEAR}-01-01~${YEAR}-12-31` }));
  });

  it('rejects bad requests with the reason', async () => {
    expect((await call('GET', `/api/export/annual?year=${YEAR}&format=pdf`)).status).toBe(400);
    expect((await call('GET', '/api/export/annual?year=abc')).status).toBe(400);
    const res = await call('POST', '/api/exports', { from: '2022-02-30', to: '2022-03-01' });
    expect(res.status).toBe(400);
  });

  it('lets an admin edit the templates (validated), neutralises formula text in XLSX, and restores the default', async () => {
    const list = (await (await call('GET', '/api/admin/export-templates')).json()) as {
      items: { id: string; kind: string; isDefault: boolean }[];
    };
    expect(list.items.map((t) => [t.id, t.kind, t.isDefault])).toEqual([
      ['sentences', 'sentences', true],
      ['indicators-national', 'indicators', true],
    ]);
    const bad = await call('PUT', '/api/admin/export-templates/sentences', { content: '签收{hotline.nope}条' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('unknown KPI id');
    expect(
      (
        await call('PUT', '/api/admin/export-templates/sentences', {
          content: '=HYPERLINK("x") 签收{hotline.signed}条\n-{hotline.completed}',
        })
      ).status,
    ).toBe(200);
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`/api/export/annual?year=${YEAR}&format=xlsx`)) as unknown as ExcelJS.Buffer);
    const cells = book.getWorksheet('数字段落')!.getColumn(1).values.slice(2);
    expect(cells).toEqual([
      `数据期间：${YEAR}-01-01 至 ${YEAR}-12-31`,
      `'=HYPERLINK("x") 签收${api['hotline.signed']!.value}条`,
      `'-${api['hotline.completed']!.value}`,
    ]);
    expect((await call('DELETE', '/api/admin/export-templates/sentences')).status).toBe(204);
    const json = JSON.parse((await download(`/api/export/annual?year=${YEAR}&format=json`)).toString('utf8')) as { sentences: string[] };
    expect(json.sentences).toEqual(expectedSentences(api));
  });
});
