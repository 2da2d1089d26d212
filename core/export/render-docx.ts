import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
} from 'docx';
import { KPI_BY_ID } from '../../shared/kpis.ts';
import type { ExportModel } from './export-model.ts';
import type { RenderedChart } from './chart-raster.ts';
import { appendixTable, indicatorTable, type TextTable } from './table-text.ts';

/**
 * The export as the DOCX the bureau edits, in the look of a Chinese official document (GB/T 9704):
 * A4, margins 37/35/28/26 mm, body 仿宋 三号 (16 pt) with a fixed 28 pt line and a two-character first-line
 * indent, headings 黑体 三号, title 黑体 二号, tables 仿宋 五号, page numbers “— 1 —”. Every run names its
 * East Asian font (`w:eastAsia`: 仿宋 / 黑体, the names Word on Chinese Windows knows) beside the
 * Latin one, so Word picks the Chinese face instead of falling back to 宋体.
 */

/** 仿宋 (FangSong) for text; Latin digits in the same face, as official documents print them. */
export const BODY_FONT = { ascii: 'FangSong', hAnsi: 'FangSong', eastAsia: '仿宋', cs: 'FangSong' };
/** 黑体 (SimHei) for headings and the title. */
export const HEADING_FONT = { ascii: 'SimHei', hAnsi: 'SimHei', eastAsia: '黑体', cs: 'SimHei' };

const PT = 2; // docx sizes are half-points
const SIZE_BODY = 16 * PT; // 三号
const SIZE_TITLE = 22 * PT; // 二号
const SIZE_TABLE = 10.5 * PT; // 五号
const SIZE_SMALL_TABLE = 9 * PT; // 小五, for the wide appendix tables
const SIZE_CAPTION = 14 * PT; // 四号
const LINE_EXACT = 28 * 20; // 28 pt in twentieths of a point
const MM = 56.7; // twips per millimetre
const TEXT_WIDTH_TWIPS = Math.round((210 - 28 - 26) * MM);

const run = (text: string, options: IRunOptions = {}) => new TextRun({ text, font: BODY_FONT, size: SIZE_BODY, ...options });

function bodyParagraph(text: string): Paragraph {
  return new Paragraph({
    children: [run(text)],
    indent: { firstLine: 2 * 16 * 20 },
    spacing: { line: LINE_EXACT, lineRule: LineRuleType.EXACT },
    alignment: AlignmentType.JUSTIFIED,
  });
}

function heading(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, { font: HEADING_FONT })],
    indent: { firstLine: 2 * 16 * 20 },
    spacing: { line: LINE_EXACT, lineRule: LineRuleType.EXACT, before: 240 },
    keepNext: true,
  });
}

function caption(text: string): Paragraph {
  return new Paragraph({
    children: [run(text, { size: SIZE_CAPTION, font: HEADING_FONT })],
    alignment: AlignmentType.CENTER,
    spacing: { before: 120, after: 120 },
    keepNext: true,
  });
}

function cellParagraph(text: string, size: number, bold = false): Paragraph {
  return new Paragraph({ children: [run(text, { size, bold, ...(bold && { font: HEADING_FONT }) })], alignment: AlignmentType.CENTER });
}

const BORDER = { style: BorderStyle.SINGLE, size: 4, color: '000000' };

function table({ header, rows }: TextTable, widthsPercent?: number[], size = SIZE_TABLE): Table {
  const widths = widthsPercent ?? header.map(() => 100 / header.length);
  const columnWidths = widths.map((w) => Math.round((TEXT_WIDTH_TWIPS * w) / 100));
  const toRow = (cells: string[], isHeader: boolean) =>
    new TableRow({
      tableHeader: isHeader,
      cantSplit: true,
      children: cells.map(
        (text, i) =>
          new TableCell({
            children: [cellParagraph(text, size, isHeader)],
            verticalAlign: VerticalAlign.CENTER,
            width: { size: columnWidths[i]!, type: WidthType.DXA },
          }),
      ),
    });
  return new Table({
    width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    // Narrow cell margins (1 mm): the appendix has up to ten columns on a portrait page.
    margins: { left: 57, right: 57, top: 20, bottom: 20 },
    rows: [toRow(header, true), ...rows.map((r) => toRow(r, false))],
  });
}

/** Column widths (percent) of an appendix table: the period column, then rates a little wider than counts. */
function columnShares(kpiIds: string[]): number[] {
  const weights = kpiIds.map((id) => (KPI_BY_ID.get(id)?.unitZh === '%' ? 1.25 : 1));
  const sum = weights.reduce((a, b) => a + b, 0);
  return [9, ...weights.map((w) => (91 * w) / sum)];
}

function chartParagraph(chart: RenderedChart): Paragraph {
  const widthPx = Math.round(TEXT_WIDTH_TWIPS / 15); // twips → px at 96 dpi
  return new Paragraph({
    alignment: AlignmentType.CENTER,
    keepNext: true,
    children: [
      new ImageRun({
        type: 'png',
        data: chart.png,
        transformation: { width: widthPx, height: Math.round((widthPx * chart.heightPx) / chart.widthPx) },
      }),
    ],
  });
}

/** The DOCX of the model, with the charts rendered beforehand (in model.charts order). */
export async function renderDocx(model: ExportModel, charts: RenderedChart[]): Promise<Buffer> {
  const ind = model.indicators;
  const by = model.interval === 'month' ? '月' : '日';
  const children: (Paragraph | Table)[] = [
    new Paragraph({
      children: [run(model.title, { font: HEADING_FONT, size: SIZE_TITLE })],
      alignment: AlignmentType.CENTER,
      spacing: { after: 240, line: 40 * 20, lineRule: LineRuleType.AT_LEAST },
    }),
    new Paragraph({
      children: [run(`数据期间：${model.period.from} 至 ${model.period.to}`, { size: SIZE_CAPTION })],
      alignment: AlignmentType.CENTER,
      spacing: { after: 240 },
    }),
    heading('一、部门整体支出绩效情况（数据）'),
    ...model.sentences.map(bodyParagraph),
    heading('二、部门整体支出绩效自评表（指标部分）'),
    table(indicatorTable(model), [9, 11, 18, 13, 13, 7, 8, 21]),
  ];
  if (ind.withoutTarget.length > 0) {
    children.push(
      new Paragraph({
        children: [run(`注：未设定年度指标值、未列入本表的指标：${ind.withoutTarget.join('、')}。`, { size: SIZE_TABLE })],
        spacing: { before: 120 },
      }),
    );
  }
  children.push(heading('三、图表'));
  model.charts.forEach((chart, i) => {
    if (charts[i]) children.push(chartParagraph(charts[i]!));
    children.push(caption(`图${i + 1}　${chart.title}`));
  });
  children.push(heading(`附：${by === '月' ? '月度' : '逐日'}数据`));
  model.appendix.forEach((t, i) => {
    children.push(caption(`附表${i + 1}　${t.title}（按${by}）`));
    children.push(table(appendixTable(t), columnShares(t.kpiIds), SIZE_SMALL_TABLE));
  });

  const doc = new Document({
    creator: 'Pulse 政务服务效能看板',
    title: model.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE_BODY } } } },
    sections: [
      {
        properties: {
          page: {
            size: { width: Math.round(210 * MM), height: Math.round(297 * MM) },
            margin: { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) },
          },
        },
        footers: {
          default: new Footer({
            children: [
              new Paragraph({
                alignment: AlignmentType.CENTER,
                children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: BODY_FONT, size: 14 * PT })],
              }),
            ],
          }),
        },
        children,
      },
    ],
  });
  return Packer.toBuffer(doc);
}
