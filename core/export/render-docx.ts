import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  PageOrientation,
  Paragraph,
  Table,
  TableCell,
  TableRow,
  TextRun,
  VerticalAlign,
  WidthType,
  type IRunOptions,
  type ISectionOptions,
} from 'docx';
import { FORM_FONT_TABLE, FORM_MARGINS_MM, formSection } from './docx-form.ts';
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

function heading(text: string, spaceBefore = 240): Paragraph {
  return new Paragraph({
    children: [run(text, { font: HEADING_FONT })],
    indent: { firstLine: 2 * 16 * 20 },
    spacing: { line: LINE_EXACT, lineRule: LineRuleType.EXACT, before: spaceBefore },
    keepNext: true,
    keepLines: true,
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

const NO_BORDER = { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' };

/**
 * A table; `lead` (a caption, and a heading before it) is its first row, one borderless cell across the table,
 * repeated with the column header on every page the table runs onto. A caption or heading written as a
 * paragraph before a table can be left alone at the foot of a page (LibreOffice does not keep a paragraph
 * with the table after it); inside the table it always goes with its rows.
 */
function table({ header, rows }: TextTable, widthsPercent?: number[], size = SIZE_TABLE, lead: Paragraph[] = []): Table {
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
  const leadRow = new TableRow({
    tableHeader: true,
    cantSplit: true,
    children: [
      new TableCell({
        children: lead,
        columnSpan: header.length,
        width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
        borders: { top: NO_BORDER, left: NO_BORDER, right: NO_BORDER },
        margins: { left: 0, right: 0 },
      }),
    ],
  });
  return new Table({
    width: { size: TEXT_WIDTH_TWIPS, type: WidthType.DXA },
    columnWidths,
    borders: { top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, insideHorizontal: BORDER, insideVertical: BORDER },
    // Narrow cell margins (1 mm): the appendix has up to ten columns on a portrait page.
    margins: { left: 57, right: 57, top: 20, bottom: 20 },
    rows: [...(lead.length > 0 ? [leadRow] : []), toRow(header, true), ...rows.map((r) => toRow(r, false))],
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

const PORTRAIT_MARGIN = { top: Math.round(37 * MM), bottom: Math.round(35 * MM), left: Math.round(28 * MM), right: Math.round(26 * MM) };

const pageFooter = () =>
  new Footer({
    children: [
      new Paragraph({
        alignment: AlignmentType.CENTER,
        children: [new TextRun({ children: ['— ', PageNumber.CURRENT, ' —'], font: BODY_FONT, size: 14 * PT })],
      }),
    ],
  });

function section(children: (Paragraph | Table)[], landscape = false): ISectionOptions {
  const margin = landscape
    ? {
        top: Math.round(FORM_MARGINS_MM.top * MM),
        bottom: Math.round(FORM_MARGINS_MM.bottom * MM),
        left: Math.round(FORM_MARGINS_MM.left * MM),
        right: Math.round(FORM_MARGINS_MM.right * MM),
      }
    : PORTRAIT_MARGIN;
  return {
    properties: {
      page: {
        // docx swaps width and height for a landscape page: the size is always given portrait.
        size: {
          width: Math.round(210 * MM),
          height: Math.round(297 * MM),
          orientation: landscape ? PageOrientation.LANDSCAPE : PageOrientation.PORTRAIT,
        },
        margin,
      },
    },
    footers: { default: pageFooter() },
    children,
  };
}

/**
 * The DOCX of the model, with the charts rendered beforehand (in model.charts order). A whole year has three
 * sections: the figures (portrait), the whole 自评表 (landscape, docx-form.ts), the charts and the appendix
 * (portrait); another period (the monthly report) keeps the indicator part of the table in one portrait section.
 */
export async function renderDocx(model: ExportModel, charts: RenderedChart[]): Promise<Buffer> {
  const ind = model.indicators;
  const by = model.interval === 'month' ? '月' : '日';
  const first: (Paragraph | Table)[] = [
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
  ];
  const sections: ISectionOptions[] = [];
  let rest: (Paragraph | Table)[];
  if (model.selfAssessment) {
    sections.push(section(first));
    sections.push(section([heading('二、部门整体支出绩效自评表', 0), ...formSection(model.selfAssessment, ind.withoutTarget)], true));
    rest = [];
    sections.push(section(rest));
  } else {
    first.push(
      table(indicatorTable(model), [9, 11, 18, 13, 13, 7, 8, 21], SIZE_TABLE, [heading('二、部门整体支出绩效自评表（指标部分）')]),
    );
    if (ind.withoutTarget.length > 0) {
      first.push(
        new Paragraph({
          children: [run(`注：未设定年度指标值、未列入本表的指标：${ind.withoutTarget.join('、')}。`, { size: SIZE_TABLE })],
          spacing: { before: 120 },
        }),
      );
    }
    rest = first;
    sections.push(section(first));
  }
  rest.push(heading('三、图表', rest.length === 0 ? 0 : 240));
  model.charts.forEach((chart, i) => {
    if (charts[i]) rest.push(chartParagraph(charts[i]!));
    rest.push(caption(`图${i + 1}　${chart.title}`));
  });
  model.appendix.forEach((t, i) => {
    const lead = [caption(`附表${i + 1}　${t.title}（按${by}）`)];
    if (i === 0) lead.unshift(heading(`附：${by === '月' ? '月度' : '逐日'}数据`));
    rest.push(table(appendixTable(t), columnShares(t.kpiIds), SIZE_SMALL_TABLE, lead));
    rest.push(new Paragraph({ children: [], spacing: { after: 120 } }));
  });

  if (model.hotspots) rest.push(table(model.hotspots.table, undefined, SIZE_TABLE, [heading(`附：${model.hotspots.title}`)]));
  const evidence = model.evidenceSha256 && `佐证材料清单（manifest.json）SHA-256：${model.evidenceSha256}`;
  if (evidence) rest.push(new Paragraph({ children: [run(evidence, { size: SIZE_SMALL_TABLE })] }));

  const doc = new Document({
    creator: 'Pulse 政务服务效能看板',
    title: model.title,
    styles: { default: { document: { run: { font: BODY_FONT, size: SIZE_BODY } } } },
    sections,
  });
  return Packer.toBuffer(doc, false, [{ path: 'word/fontTable.xml', data: FORM_FONT_TABLE }]);
}
