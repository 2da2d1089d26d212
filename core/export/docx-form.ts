import {
  AlignmentType,
  BorderStyle,
  LineRuleType,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  VerticalMergeType,
  WidthType,
  type IRunOptions,
} from 'docx';
import { BUDGET_FIELD_ZH, wanText } from '../../shared/budget.ts';
import { AWAITING_BUREAU, AWAITING_FINANCE, formSpans, type SelfAssessmentForm } from './self-assessment.ts';

/**
 * The 部门整体支出绩效自评表 in the DOCX, for a landscape A4 section: two tables — the head (部门名称, the budget
 * block, 年度总体目标) and the indicator rows with their header repeated on every page, 一级/二级 cells merged
 * over their rows, 总分 and 自评等级 — every row kept whole on its page. Fonts as the finance bureau's form sets
 * them: the title in 方正小标宋简体, the body in 仿宋_GB2312; `FORM_FONT_TABLE` names their fallbacks (黑体, 仿宋)
 * as `w:altName`, so a computer without the 方正/GB2312 faces shows the common ones.
 */

export const FORM_TITLE_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '方正小标宋简体', cs: 'Times New Roman' };
export const FORM_BODY_FONT = { ascii: 'Times New Roman', hAnsi: 'Times New Roman', eastAsia: '仿宋_GB2312', cs: 'Times New Roman' };

/** The whole word/fontTable.xml of the export: the form's faces with their fallbacks, and the body's. */
export const FORM_FONT_TABLE = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${[
  ['方正小标宋简体', '黑体', 'script', 'variable'],
  ['仿宋_GB2312', '仿宋', 'modern', 'fixed'],
  ['仿宋', 'FangSong', 'modern', 'fixed'],
  ['黑体', 'SimHei', 'modern', 'fixed'],
  ['Times New Roman', '', 'roman', 'variable'],
]
  .map(
    ([name, alt, family, pitch]) =>
      `<w:font w:name="${name}">${alt ? `<w:altName w:val="${alt}"/>` : ''}<w:charset w:val="${name === 'Times New Roman' ? '00' : '86'}"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`,
  )
  .join('')}</w:fonts>`;

const PT = 2;
const SIZE_CELL = 10.5 * PT; // 五号
const SIZE_TITLE = 18 * PT; // 小二
const MM = 56.7;
/** Landscape A4 margins (mm): top, bottom, left, right. */
export const FORM_MARGINS_MM = { top: 25, bottom: 22, left: 25, right: 25 };
const WIDTH_TWIPS = Math.round((297 - FORM_MARGINS_MM.left - FORM_MARGINS_MM.right) * MM);
/** Nine columns (percent): the block label, 一级, 二级, 三级, 年度指标值, 实际完成值, 分值, 得分, 偏差原因分析及改进措施. */
const COLUMNS = [8, 9, 11, 19, 12, 12, 6, 7, 16].map((p) => Math.round((WIDTH_TWIPS * p) / 100));
const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };
const BORDERS = { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER };

const run = (text: string, options: IRunOptions = {}) => new TextRun({ text, font: FORM_BODY_FONT, size: SIZE_CELL, ...options });

interface CellSpec {
  text: string;
  span?: number;
  /** Vertical merge: 'restart' opens a merged cell, 'continue' is a cell under it. */
  vMerge?: 'restart' | 'continue';
  bold?: boolean;
  align?: 'left' | 'center';
  /** Keeps the row with what follows (the last row and the note under it). */
  keepNext?: boolean;
}

function cell(spec: CellSpec, column: number): TableCell {
  const span = spec.span ?? 1;
  const width = COLUMNS.slice(column, column + span).reduce((a, b) => a + b, 0);
  const lines = spec.vMerge === 'continue' ? [''] : spec.text.split('\n');
  return new TableCell({
    columnSpan: span > 1 ? span : undefined,
    ...(spec.vMerge && { verticalMerge: spec.vMerge === 'restart' ? VerticalMergeType.RESTART : VerticalMergeType.CONTINUE }),
    verticalAlign: VerticalAlign.CENTER,
    width: { size: width, type: WidthType.DXA },
    children: lines.map(
      (line) =>
        new Paragraph({
          children: [run(line, spec.bold ? { bold: true } : {})],
          alignment: spec.align === 'left' ? AlignmentType.JUSTIFIED : AlignmentType.CENTER,
          keepLines: true,
          keepNext: spec.keepNext ?? false,
        }),
    ),
  });
}

function row(cells: CellSpec[], header = false): TableRow {
  let column = 0;
  return new TableRow({
    cantSplit: true,
    tableHeader: header,
    children: cells.map((c) => {
      const built = cell(c, column);
      column += c.span ?? 1;
      return built;
    }),
  });
}

function table(rows: TableRow[]): Table {
  return new Table({
    width: { size: WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths: COLUMNS,
    borders: BORDERS,
    margins: { left: 80, right: 80, top: 30, bottom: 30 },
    rows,
  });
}

const money = (wan: number | undefined) => (wan === undefined ? '' : wanText(wan));

/** The head table: 部门名称, the budget block, 年度总体目标 / 实际完成情况. */
function headTable(form: SelfAssessmentForm): Table {
  const b = form.budget;
  const label = (text: string, first: boolean): CellSpec => ({ text, vMerge: first ? 'restart' : 'continue', bold: true });
  const awaiting = (first: boolean): CellSpec[] =>
    first ? [{ text: AWAITING_FINANCE, span: 6 }] : [{ text: '', span: 6, vMerge: 'continue' }];
  const rows = [
    row([
      { text: '部门名称', bold: true },
      { text: form.department ?? AWAITING_BUREAU, span: 8, align: 'left' },
    ]),
    row([
      label('年度预算执行情况（万元）', true),
      { text: '', span: 2 },
      ...['approved', 'available', 'spent'].map((f) => ({ text: BUDGET_FIELD_ZH[f as 'approved'], bold: true })),
      { text: '分值', bold: true },
      { text: '执行率', bold: true },
      { text: '得分', bold: true },
    ]),
    row([
      label('', false),
      { text: '年度资金总额', span: 2 },
      ...(b
        ? [
            { text: money(b.figures.approved) },
            { text: money(b.figures.available) },
            { text: money(b.figures.spent) },
            { text: String(form.budgetWeight) },
            { text: b.rateText },
            { text: b.score.toFixed(2) },
          ]
        : awaiting(true)),
    ]),
    row([
      label('', false),
      { text: `其中：${BUDGET_FIELD_ZH.basic}`, span: 2 },
      ...(b
        ? [{ text: '—' }, { text: '—' }, { text: money(b.figures.basic) }, { text: '—' }, { text: '—' }, { text: '—' }]
        : awaiting(false)),
    ]),
    row([
      label('', false),
      { text: `　　　${BUDGET_FIELD_ZH.project}`, span: 2 },
      ...(b
        ? [{ text: '—' }, { text: '—' }, { text: money(b.figures.project) }, { text: '—' }, { text: '—' }, { text: '—' }]
        : awaiting(false)),
    ]),
    row([label('年度总体目标', true), { text: '预期目标', span: 4, bold: true }, { text: '实际完成情况', span: 4, bold: true }]),
    row([label('', false), { text: form.goal ?? AWAITING_BUREAU, span: 4, align: 'left' }, { text: form.outcome, span: 4, align: 'left' }]),
  ];
  return table(rows);
}

/** The indicator table: header (repeated on each page), the rows with 一级/二级 merged, 总分 and 自评等级. */
function indicatorTable(form: SelfAssessmentForm): Table {
  const spans = formSpans(form.rows);
  const headerCells = ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'];
  const rows = [row([{ text: '绩效指标', bold: true }, ...headerCells.map((text) => ({ text, bold: true }))], true)];
  form.rows.forEach((r, i) => {
    rows.push(
      row([
        { text: '', vMerge: i === 0 ? 'restart' : 'continue' },
        { text: r.level1, vMerge: spans.level1[i] ? 'restart' : 'continue' },
        { text: r.level2, vMerge: spans.level2[i] ? 'restart' : 'continue' },
        { text: r.name },
        { text: r.targetText },
        { text: r.actualText },
        { text: String(r.weight) },
        { text: r.score === null ? AWAITING_FINANCE : r.score.toFixed(2) },
        { text: r.note, align: 'left' },
      ]),
    );
  });
  const grade = form.gradeText;
  rows.push(
    row([
      { text: '总分', span: 6, bold: true, keepNext: true },
      { text: String(form.totalWeight), keepNext: true },
      { text: form.totalScore.toFixed(2), keepNext: true },
      { text: grade, keepNext: true },
    ]),
  );
  return table(rows);
}

/** A paragraph between the two tables (Word would join adjacent tables into one): 2 pt high, kept with the next. */
const joint = () =>
  new Paragraph({
    children: [run('', { size: 2 })],
    spacing: { line: 40, lineRule: LineRuleType.EXACT, before: 0, after: 0 },
    keepNext: true,
  });

/** The children of the landscape section: title, year, the two tables, the grading note. */
export function formSection(form: SelfAssessmentForm, withoutTarget: string[]): (Paragraph | Table)[] {
  const g = form.grades;
  const notes = [
    `注：执行率＝全年执行数÷预算批复数；预算执行得分＝分值×执行率。自评等级：${g.excellent}分（含）以上为优，${g.good}（含）～${g.excellent}分为良，${g.pass}（含）～${g.good}分为中，${g.pass}分以下为差。`,
    ...(withoutTarget.length > 0 ? [`未设定年度指标值、未列入本表的指标：${withoutTarget.join('、')}。`] : []),
  ];
  return [
    new Paragraph({
      children: [new TextRun({ text: '部门整体支出绩效自评表', font: FORM_TITLE_FONT, size: SIZE_TITLE })],
      alignment: AlignmentType.CENTER,
      keepNext: true,
      keepLines: true,
    }),
    new Paragraph({
      children: [run(`（${form.year}年度）`, { size: 14 * PT })],
      alignment: AlignmentType.CENTER,
      spacing: { after: 120 },
      keepNext: true,
    }),
    headTable(form),
    joint(),
    indicatorTable(form),
    ...notes.map((text, i) => new Paragraph({ children: [run(text)], spacing: { before: i === 0 ? 80 : 0 }, keepLines: true })),
  ];
}
