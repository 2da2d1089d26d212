import ExcelJS from 'exceljs';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { neutralizeFormulaText } from './spreadsheet-text.ts';
import { kpiHeader, type ExportModel } from './export-model.ts';
import { addFormSheet } from './xlsx-form.ts';

/**
 * The export as XLSX: every table of the export, numbers as numbers — counts as integers, rates as the
 * served fraction with a percent format (0.8702 shown 87.02%), ratios and means unrounded with a
 * one-decimal format — and every text cell that a spreadsheet would run as a formula neutralised.
 */

type Cell = string | number | null;

/** The number format of a KPI's cells. */
function numFmtOf(id: string): string {
  const def = KPI_BY_ID.get(id)!;
  if (def.unitZh === '%') return '0.00%';
  return def.kind === 'count' || def.kind === 'live' ? '0' : '0.0';
}

const textOrNumber = (v: Cell): Cell => (typeof v === 'string' ? neutralizeFormulaText(v) : v);

function addSheet(
  book: ExcelJS.Workbook,
  name: string,
  header: string[],
  rows: Cell[][],
  formats: (string | undefined)[] = [],
  widths: number[] = [],
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.addRow(header.map(neutralizeFormulaText)).font = { bold: true };
  for (const row of rows) sheet.addRow(row.map(textOrNumber));
  header.forEach((h, i) => {
    const column = sheet.getColumn(i + 1);
    column.width = widths[i] ?? Math.min(40, Math.max(10, h.length * 2 + 2));
    if (formats[i]) column.numFmt = formats[i]!;
  });
  return sheet;
}

const valueOf = (v: KpiValue | undefined | null): number | null => v?.value ?? null;

export async function renderXlsx(model: ExportModel): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  book.creator = 'Pulse 政务服务效能看板';
  book.created = new Date(model.generatedAt);

  addSheet(
    book,
    '数字段落',
    [model.title],
    [[`数据期间：${model.period.from} 至 ${model.period.to}`], ...model.sentences.map((s) => [s])],
    [],
    [120],
  );

  const ind = model.indicators;
  const indicatorSheet = addSheet(
    book,
    '绩效指标自评表',
    ['一级指标', '二级指标', '三级指标', 'KPI编号', '方向', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
    [
      ...ind.rows.map((r) => [
        r.level1,
        r.level2,
        r.name,
        r.kpi ?? '',
        r.target?.direction ?? '',
        r.target?.target ?? null,
        valueOf(r.actual),
        r.weight,
        r.score,
        r.note,
      ]),
      ['合计', '', '', '', '', null, null, ind.totalWeight, ind.totalScore, ''],
    ],
    [],
    [12, 18, 26, 28, 6, 14, 14, 8, 8, 30],
  );
  // Target and actual cells take the number format of their own KPI.
  ind.rows.forEach((r, i) => {
    if (!r.kpi) return;
    const row = indicatorSheet.getRow(i + 2);
    row.getCell(6).numFmt = numFmtOf(r.kpi);
    row.getCell(7).numFmt = numFmtOf(r.kpi);
  });

  if (model.selfAssessment) addFormSheet(book, model.selfAssessment, ind.withoutTarget, numFmtOf);

  const ids = Object.keys(model.kpis);
  const all = addSheet(
    book,
    '指标全表',
    ['KPI编号', '名称', '单位', '值', '分子', '分母', '年度指标值', '状态'],
    ids.map((id) => {
      const v = model.kpis[id]!;
      const def = KPI_BY_ID.get(id);
      return [
        id,
        def?.nameZh ?? id,
        def?.unitZh ?? '',
        v.value,
        v.numerator ?? null,
        v.denominator ?? null,
        v.target ?? null,
        v.status ?? '',
      ];
    }),
    [],
    [30, 26, 6, 14, 14, 14, 14, 10],
  );
  ids.forEach((id, i) => {
    if (!KPI_BY_ID.has(id)) return;
    const row = all.getRow(i + 2);
    row.getCell(4).numFmt = numFmtOf(id);
    row.getCell(7).numFmt = numFmtOf(id);
  });

  model.appendix.forEach((t, i) => {
    addSheet(
      book,
      `附表${i + 1} ${t.title}`.slice(0, 31),
      ['期间', ...t.kpiIds.map(kpiHeader)],
      [...t.rows.map((r) => [r.bucket, ...r.values.map(valueOf)]), ['合计', ...t.total.map(valueOf)]],
      [undefined, ...t.kpiIds.map(numFmtOf)],
      [14],
    );
  });

  addSheet(
    book,
    '跨域通办按地区',
    ['合作地区', kpiHeader('crossRegion.received'), kpiHeader('crossRegion.completed'), kpiHeader('crossRegion.completionRate')],
    model.partners.map((g) => [
      g.key,
      valueOf(g.kpis['crossRegion.received']),
      valueOf(g.kpis['crossRegion.completed']),
      valueOf(g.kpis['crossRegion.completionRate']),
    ]),
    [undefined, '0', '0', '0.00%'],
    [20],
  );

  if (model.hotspots)
    addSheet(book, model.hotspots.title, model.hotspots.table.header, model.hotspots.table.rows, [], [12, 14, 30, 16, 6, 30]);
  return Buffer.from(await book.xlsx.writeBuffer());
}
