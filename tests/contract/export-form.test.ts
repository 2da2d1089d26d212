import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CROSS_REGION_ITEMS, PARTNER_REGIONS } from '../../scripts/simulator/catalogue.ts';
import { FEEDS, generateYear } from '../../scripts/simulator/year.ts';
import type { SelfAssessmentForm } from '../../core/export/self-assessment.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { canRender, docxEntry, pagePng, renderDocx, type RenderedDocx } from '../support/docx-render.ts';

/**
 * The whole 部门整体支出绩效自评表 (REPORT.md v2) of a generated year with the seed report's 2022 budget
 * (2970.96 / 2677.20 / 2677.20 = 2049.72 + 627.48): the budget API, the form in JSON, DOCX and XLSX, and the
 * DOCX as LibreOffice lays it out — checked page by page as a clerk would look at it.
 */

const YEAR = 2022;
const SEED_BUDGET = { approved: 2970.96, available: 2677.2, spent: 2677.2, basic: 2049.72, project: 627.48 };
const { feeds } = generateYear({ year: YEAR, seed: 88, scale: 0.02, previousYear: true });
let app: TestApp;
let token: string;

async function call(method: string, path: string, body?: unknown, bearer = token, language = 'zh-CN'): Promise<Response> {
  return fetch(`${app.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json', 'accept-language': language },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}
async function download(path: string): Promise<Buffer> {
  const res = await call('GET', path);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}
const formOf = async () =>
  (JSON.parse((await download(`/api/export/annual?year=${YEAR}&format=json`)).toString('utf8')) as { selfAssessment: SelfAssessmentForm })
    .selfAssessment;

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
    'hotline.signed': { target: 50, direction: '>=' },
    'hall.servedMatters': { target: 1_000, direction: '>=' },
    'crossRegion.items': { target: 100, direction: '>=' },
    'online.fullyOnlineRate': { target: 0.9, direction: '>=' },
    'crossRegion.completionRate': { target: 0.95, direction: '>=' },
    'hotline.responseWithin1hRate': { target: 0.9, direction: '>=' },
    'hotline.onTimeCompletionRate': { target: 0.95, direction: '>=' },
    'hall.waitTargetRate': { target: 0.9, direction: '>=' },
    'hotline.resolutionRate': { target: 0.85, direction: '>=' },
    'hotline.threeRateScore': { target: 90, direction: '>=' },
    'crossRegion.partners': { target: 15, direction: '>=' },
    'evaluations.positiveRate': { target: 0.99, direction: '>=' },
  };
  expect((await call('PUT', `/api/admin/targets/${YEAR}`, targets)).status).toBe(200);
  await app.waitIdle(token);
}, 180_000);
afterAll(() => app?.close());

describe('budget execution (PUT/GET /api/admin/budget/:year)', () => {
  it('before finance enters the year, the form says 待财政填报 and grades nothing', async () => {
    expect((await call('GET', `/api/admin/budget/${YEAR}`)).status).toBe(404);
    const form = await formOf();
    expect(form.budget).toBeNull();
    expect(form.grade).toBeNull();
    const xml = (await docxEntry(await download(`/api/export/annual?year=${YEAR}&format=docx`), 'word/document.xml')).toString('utf8');
    expect(xml).toContain('待财政填报');
  });

  it('refuses bad values with the field named, and saves nothing', async () => {
    const cases: [Record<string, unknown>, string, RegExp][] = [
      [{ ...SEED_BUDGET, approved: -1 }, 'approved', /0 or more/],
      [{ ...SEED_BUDGET, available: 2677.205 }, 'available', /2 decimals/],
      [{ ...SEED_BUDGET, basic: 2049.71 }, 'project', /基本支出.*项目支出.*全年执行数/],
      [{ ...SEED_BUDGET, available: 2000, spent: 2677.2 }, 'spent', /must not exceed/],
      [{ ...SEED_BUDGET, spent: '2677.20' }, 'spent', /number/],
      [{ approved: 1 }, 'available', /required/],
      [{ ...SEED_BUDGET, approved: 0, available: 0, spent: 0, basic: 0, project: 0 }, 'approved', /more than 0/],
    ];
    for (const [body, field, problem] of cases) {
      const res = await call('PUT', `/api/admin/budget/${YEAR}`, body, token, 'en');
      expect(res.status, JSON.stringify(body)).toBe(400);
      const error = ((await res.json()) as { error: { code: string; details: { field: string; problem: string }[] } }).error;
      expect(error.code).toBe('validation_failed');
      expect(error.details.find((d) => d.field === field)?.problem, JSON.stringify(body)).toMatch(problem);
    }
    // Chinese unless the reader asks otherwise, the field still named by its code.
    const zh = await call('PUT', `/api/admin/budget/${YEAR}`, { ...SEED_BUDGET, approved: -1 });
    const zhError = ((await zh.json()) as { error: { message: string; details: { field: string; problem: string }[] } }).error;
    expect(zhError.details).toEqual([{ field: 'approved', problem: '预算批复数（approved）：不能为负数' }]);
    expect(zhError.message).toBe('预算执行情况未保存：预算批复数（approved）：不能为负数');
    expect((await call('GET', `/api/admin/budget/${YEAR}`)).status).toBe(404);
  });

  it('stores the seed figures, computes 执行率 90.11%, and audits the change', async () => {
    const res = await call('PUT', `/api/admin/budget/${YEAR}`, {
      ...SEED_BUDGET,
      department: '长沙市芙蓉区行政审批服务局',
      goal: '提升政务服务效能。',
    });
    expect(res.status).toBe(200);
    const saved = (await (await call('GET', `/api/admin/budget/${YEAR}`)).json()) as Record<string, unknown>;
    expect(saved).toMatchObject({
      ...SEED_BUDGET,
      year: YEAR,
      executionRatePct: 90.11,
      department: '长沙市芙蓉区行政审批服务局',
      updatedBy: 'admin',
    });
    expect(saved.outcome).toBe('');
    const audit = (await (await call('GET', '/api/admin/audit?limit=20')).json()) as { entries: { action: string; target: string }[] };
    expect(audit.entries.find((e) => e.action === 'budget.replace')).toMatchObject({ target: String(YEAR) });
  });
});

describe('the 自评表 of the year with the seed budget', () => {
  let docx: Buffer;
  let form: SelfAssessmentForm;
  beforeAll(async () => {
    docx = await download(`/api/export/annual?year=${YEAR}&format=docx`);
    form = await formOf();
  });

  it('JSON: 执行率 90.11%, 得分 9.01, the figures paragraph as 实际完成情况, 总分 and a grade', async () => {
    expect(form.budget).toMatchObject({ rateBp: 9011, rateText: '90.11%', score: 9.01 });
    expect(form.budgetWeight).toBe(10);
    expect(form.outcomeIsDefault).toBe(true);
    expect(form.outcome).toContain('“一网通办”系统办件量共计');
    expect(form.totalWeight).toBe(10 + form.rows.reduce((s, r) => s + r.weight, 0));
    const total = Math.round((9.01 + form.rows.reduce((s, r) => s + (r.score ?? 0), 0)) * 100) / 100;
    expect(form.totalScore).toBe(total);
    expect(form.grade).toBe(total >= 90 ? '优' : total >= 80 ? '良' : total >= 60 ? '中' : '差');
    expect(form.rows.some((r) => r.name === '预算执行率')).toBe(false); // it is the budget block
    expect(form.rows.length).toBe(15);
    // The monthly report (热线分析报告) has no 自评表.
    const month = JSON.parse((await download(`/api/export/annual?from=${YEAR}-03-01&to=${YEAR}-03-31&format=json`)).toString('utf8')) as {
      selfAssessment: unknown;
    };
    expect(month.selfAssessment).toBeNull();
    const monthDocx = await download(`/api/export/annual?from=${YEAR}-03-01&to=${YEAR}-03-31&format=docx`);
    const monthXml = (await docxEntry(monthDocx, 'word/document.xml')).toString('utf8');
    expect(monthXml).toContain('二、部门整体支出绩效自评表（指标部分）');
    expect(monthXml).not.toContain('w:orient="landscape"');
  });

  it('DOCX: landscape section, the budget row, merged 一级/二级 cells, the fonts with their fallbacks', async () => {
    const xml = (await docxEntry(docx, 'word/document.xml')).toString('utf8');
    const fonts = (await docxEntry(docx, 'word/fontTable.xml')).toString('utf8');
    const texts = [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('\u0001');
    expect(texts).toContain(['年度资金总额', '2970.96', '2677.20', '2677.20', '10', '90.11%', '9.01'].join('\u0001'));
    expect(texts).toContain('长沙市芙蓉区行政审批服务局');
    expect(xml).toMatch(/<w:pgSz w:w="1684[0-9]" w:h="1190[67]" w:orient="landscape"\/>/);
    expect(xml).toContain('w:eastAsia="方正小标宋简体"');
    expect(xml).toContain('w:eastAsia="仿宋_GB2312"');
    expect(fonts).toMatch(/<w:font w:name="方正小标宋简体"><w:altName w:val="黑体"\/>/);
    expect(fonts).toMatch(/<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"\/>/);
    expect(xml).toContain('<w:vMerge w:val="restart"/>');
    expect(xml).toContain('<w:tblHeader/>');
  });

  it('XLSX: the same table, merged the same way, numbers as numbers', async () => {
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await download(`/api/export/annual?year=${YEAR}&format=xlsx`)) as unknown as ExcelJS.Buffer);
    const sheet = book.getWorksheet('部门整体支出绩效自评表')!;
    const find = (text: string) => {
      let at: ExcelJS.Cell | undefined;
      sheet.eachRow((row) => row.eachCell((c) => (at ??= c.value === text ? c : undefined)));
      return at!;
    };
    const total = sheet.getRow(Number(find('年度资金总额').row));
    expect([4, 5, 6, 7, 8, 9].map((c) => total.getCell(c).value)).toEqual([2970.96, 2677.2, 2677.2, 10, 0.9011, 9.01]);
    expect(total.getCell(8).numFmt).toBe('0.00%');
    expect(sheet.getRow(Number(find('其中：基本支出').row)).getCell(6).value).toBe(2049.72);
    const merges = (sheet.model as unknown as { merges: string[] }).merges;
    const header = Number(find('三级指标').row);
    // 一级指标 of the first run is one merged cell over its rows, as in the DOCX.
    const firstRun = form.rows.filter((r) => r.level1 === form.rows[0]!.level1).length;
    expect(merges).toContain(`B${header + 1}:B${header + firstRun}`);
    const signed = sheet.getRow(header + 1 + form.rows.findIndex((r) => r.kpi === 'hotline.signed'));
    expect(typeof signed.getCell(6).value).toBe('number');
    expect(signed.getCell(6).value).toBe(form.rows.find((r) => r.kpi === 'hotline.signed')!.actualValue);
    expect(find(`自评等级：${form.grade!}`)).toBeDefined();
  });

  describe.runIf(canRender() || process.env.CI)('rendered by LibreOffice, as a clerk would print it', () => {
    let rendered: RenderedDocx;
    beforeAll(() => {
      rendered = renderDocx(docx, 'export-2022');
      if (process.env.SHOW_RENDER) console.log('rendered into', rendered.dir);
    }, 240_000);
    afterAll(() => {
      if (rendered && !process.env.SHOW_RENDER) rmSync(rendered.dir, { recursive: true, force: true });
    });
    const pageWith = (text: string) => rendered.pages.filter((p) => p.text.replace(/\s+/g, '').includes(text)).map((p) => p.number);

    it('has the 自评表 on landscape A4 pages and every other page portrait', () => {
      const formPages = pageWith('部门整体支出绩效自评表').filter((n) => rendered.pages[n - 1]!.text.includes('年度资金总额'));
      expect(formPages.length).toBe(1);
      for (const p of rendered.pages) {
        const landscape = p.widthPt > p.heightPt;
        const inForm = p.text.includes('绩效指标') || p.text.includes('年度资金总额') || p.text.includes('总分');
        expect(landscape, `page ${p.number}`).toBe(inForm);
        expect([Math.round(Math.min(p.widthPt, p.heightPt)), Math.round(Math.max(p.widthPt, p.heightPt))]).toEqual([595, 842]);
      }
      expect(rendered.pages.length).toBeGreaterThan(4);
      if (process.env.WRITE_FORM_IMAGE) {
        mkdirSync(dirname(process.env.WRITE_FORM_IMAGE), { recursive: true });
        copyFileSync(pagePng(rendered, formPages[0]!, 80), process.env.WRITE_FORM_IMAGE);
      }
    });

    it('shows 执行率 90.11% and 得分 9.01 on the form page', () => {
      const page = rendered.pages[pageWith('年度资金总额')[0]! - 1]!;
      expect(page.text).toMatch(/年度资金总额\s+2970\.96\s+2677\.20\s+2677\.20\s+10\s+90\.11%\s+9\.01/);
    });

    it('splits no row across pages: each indicator row whole on one page, every form page under the header', () => {
      const squeeze = (t: string) => t.replace(/\s+/g, '');
      for (const row of form.rows) {
        // The name's first characters (a long name wraps in its cell, and the text layout interleaves its lines
        // with the next cells'), beside the row's target and actual, which sit on one line.
        const cells = squeeze(`${row.targetText} ${row.actualText}`);
        const pages = pageWith(cells).filter(
          (n) => rendered.pages[n - 1]!.widthPt > rendered.pages[n - 1]!.heightPt && pageWith(squeeze(row.name).slice(0, 6)).includes(n),
        );
        expect(pages.length, `${row.name}: ${cells}`).toBe(1);
      }
      expect(pageWith(squeeze(form.gradeText)).length).toBe(1);
      for (const p of rendered.pages.filter((pg) => pg.widthPt > pg.heightPt && !pg.text.includes('年度资金总额')))
        expect(p.text, `page ${p.number} continues the table under its header`).toContain('三级指标');
    });

    it('keeps every word within the page margins', () => {
      for (const p of rendered.pages) {
        for (const w of p.words) {
          expect(w.xMin, `page ${p.number} “${w.text}”`).toBeGreaterThanOrEqual(36);
          expect(w.xMax, `page ${p.number} “${w.text}”`).toBeLessThanOrEqual(p.widthPt - 36);
        }
      }
    });

    it('puts every heading and caption on the page of what it heads; no page holds a note alone', () => {
      for (const p of rendered.pages) {
        const lines = p.text
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean);
        const last = lines.at(-2) ?? ''; // the last line is the page number
        expect(last, `page ${p.number} ends with a caption or heading`).not.toMatch(/^(附表\d|[一二三四]、|附：)/);
        if (p.images === 0) expect(lines.length, `page ${p.number} holds more than a stray line`).toBeGreaterThan(3);
      }
      for (let i = 1; i <= 5; i++) {
        const caption = pageWith(`附表${i}`);
        expect(caption.length, `附表${i}`).toBe(1);
        expect(rendered.pages[caption[0]! - 1]!.text, `附表${i} with its table`).toMatch(/期间/);
      }
      for (let i = 1; i <= 4; i++) {
        const caption = pageWith(`图${i}`);
        expect(caption.length, `图${i}`).toBeGreaterThanOrEqual(1);
        expect(rendered.pages[caption[0]! - 1]!.images, `图${i} with its chart`).toBeGreaterThan(0);
      }
    });
  });
});
