import type ExcelJS from 'exceljs';
import { BUDGET_FIELD_ZH } from '../../shared/budget.ts';
import { AWAITING_BUREAU, AWAITING_FINANCE, formSpans, type SelfAssessmentForm } from './self-assessment.ts';
import { neutralizeFormulaText } from './spreadsheet-text.ts';

/**
 * The 部门整体支出绩效自评表 as a worksheet laid out like the DOCX's (docx-form.ts): nine columns, the budget
 * block and 年度总体目标 under their merged labels, 一级/二级 cells merged over their rows. Numbers are numbers:
 * amounts in 万元 (format 0.00), 执行率 as a fraction (format 0.00%, 0.9011 shown 90.11%), 分值 and 得分, and
 * each KPI row's target and actual as the KPI API serves them, in the KPI's own format (`numFmtOf`).
 */

const THIN = { style: 'thin' as const };
const FRAME = { top: THIN, left: THIN, bottom: THIN, right: THIN };

type Value = string | number | null;

export function addFormSheet(
  book: ExcelJS.Workbook,
  form: SelfAssessmentForm,
  withoutTarget: string[],
  numFmtOf: (kpiId: string) => string,
): ExcelJS.Worksheet {
  const sheet = book.addWorksheet('部门整体支出绩效自评表', {
    pageSetup: { paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 },
  });
  [12, 12, 14, 26, 14, 14, 8, 10, 28].forEach((w, i) => (sheet.getColumn(i + 1).width = w));
  let r = 0;
  /** Writes a row (values from column A) and returns its number. */
  const put = (values: Value[], framed = true): number => {
    r++;
    const row = sheet.getRow(r);
    values.forEach((v, i) => {
      const cell = row.getCell(i + 1);
      cell.value = typeof v === 'string' ? neutralizeFormulaText(v) : v;
      cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
      if (framed) cell.border = FRAME;
    });
    return r;
  };
  const merge = (top: number, left: number, bottom: number, right: number) => {
    if (bottom > top || right > left) sheet.mergeCells(top, left, bottom, right);
  };
  const fmt = (row: number, col: number, numFmt: string) => (sheet.getRow(row).getCell(col).numFmt = numFmt);
  const bold = (row: number) => sheet.getRow(row).eachCell((c) => (c.font = { ...c.font, bold: true }));

  put(['部门整体支出绩效自评表'], false);
  merge(r, 1, r, 9);
  sheet.getRow(r).font = { size: 16, bold: true };
  put([`（${form.year}年度）`], false);
  merge(r, 1, r, 9);

  put(['部门名称', form.department ?? AWAITING_BUREAU, '', '', '', '', '', '', '']);
  merge(r, 2, r, 9);

  const b = form.budget;
  const top = put([
    '年度预算执行情况（万元）',
    '',
    '',
    BUDGET_FIELD_ZH.approved,
    BUDGET_FIELD_ZH.available,
    BUDGET_FIELD_ZH.spent,
    '分值',
    '执行率',
    '得分',
  ]);
  bold(top);
  merge(top, 2, top, 3);
  if (b) {
    const f = b.figures;
    put(['', '年度资金总额', '', f.approved, f.available, f.spent, form.budgetWeight, b.rateBp / 10_000, b.score]);
    [4, 5, 6, 9].forEach((c) => fmt(r, c, '0.00'));
    fmt(r, 8, '0.00%');
    put(['', `其中：${BUDGET_FIELD_ZH.basic}`, '', null, null, f.basic, null, null, null]);
    fmt(r, 6, '0.00');
    put(['', BUDGET_FIELD_ZH.project, '', null, null, f.project, null, null, null]);
    fmt(r, 6, '0.00');
  } else {
    put(['', '年度资金总额', '', AWAITING_FINANCE, '', '', '', '', '']);
    put(['', `其中：${BUDGET_FIELD_ZH.basic}`, '', '', '', '', '', '', '']);
    put(['', BUDGET_FIELD_ZH.project, '', '', '', '', '', '', '']);
    merge(top + 1, 4, r, 9);
  }
  for (let row = top + 1; row <= r; row++) merge(row, 2, row, 3);
  merge(top, 1, r, 1);

  const goals = put(['年度总体目标', '预期目标', '', '', '', '实际完成情况', '', '', '']);
  bold(goals);
  put(['', form.goal ?? AWAITING_BUREAU, '', '', '', form.outcome, '', '', '']);
  sheet.getRow(r).height = Math.min(409, 15 * Math.ceil(Math.max(form.outcome.length, (form.goal ?? '').length) / 40));
  for (const row of [goals, r]) {
    merge(row, 2, row, 5);
    merge(row, 6, row, 9);
  }
  sheet.getRow(r).getCell(2).alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  sheet.getRow(r).getCell(6).alignment = { vertical: 'top', horizontal: 'left', wrapText: true };
  merge(goals, 1, r, 1);

  const header = put([
    '绩效指标',
    '一级指标',
    '二级指标',
    '三级指标',
    '年度指标值',
    '实际完成值',
    '分值',
    '得分',
    '偏差原因分析及改进措施',
  ]);
  bold(header);
  const first = r + 1;
  for (const row of form.rows) {
    put(['', row.level1, row.level2, row.name, row.targetValue, row.actualValue, row.weight, row.score, row.note]);
    const numFmt = row.kpi ? numFmtOf(row.kpi) : '0.00';
    fmt(r, 5, numFmt);
    fmt(r, 6, numFmt);
    fmt(r, 8, '0.00');
    if (row.score === null) sheet.getRow(r).getCell(8).value = AWAITING_FINANCE;
    if (row.actualValue === null && row.budget) sheet.getRow(r).getCell(6).value = AWAITING_FINANCE;
  }
  const spans = formSpans(form.rows);
  form.rows.forEach((_, i) => {
    if (spans.level1[i]) merge(first + i, 2, first + i + spans.level1[i]! - 1, 2);
    if (spans.level2[i]) merge(first + i, 3, first + i + spans.level2[i]! - 1, 3);
  });
  merge(header, 1, r, 1);
  const grade = form.gradeText;
  put(['总分', '', '', '', '', '', form.totalWeight, form.totalScore, grade]);
  bold(r);
  fmt(r, 8, '0.00');
  merge(r, 1, r, 6);

  const g = form.grades;
  put(
    [
      `注：执行率＝全年执行数÷预算批复数；预算执行得分＝分值×执行率。自评等级：${g.excellent}分（含）以上为优，${g.good}（含）～${g.excellent}分为良，${g.pass}（含）～${g.good}分为中，${g.pass}分以下为差。`,
    ],
    false,
  );
  merge(r, 1, r, 9);
  if (withoutTarget.length > 0) {
    put([`未设定年度指标值、未列入本表的指标：${withoutTarget.join('、')}。`], false);
    merge(r, 1, r, 9);
  }
  return sheet;
}
