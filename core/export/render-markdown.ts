import { hotspotMarkdown } from './hotspot-section.ts';
import type { ExportModel } from './export-model.ts';
import { appendixTable, indicatorTable, type TextTable } from './table-text.ts';

/** A Markdown table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table({ header, rows }: TextTable): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

/** The export as Markdown: the sentences, the indicator table and the appendix tables (charts are in the DOCX). */
export function renderMarkdown(model: ExportModel): Buffer {
  const { indicators } = model;
  const out: string[] = [
    `# ${model.title}`,
    '',
    `数据期间：${model.period.from} 至 ${model.period.to}　生成时间：${model.generatedAt}`,
    '',
  ];
  out.push('## 一、部门整体支出绩效情况（数据）', '', ...model.sentences.flatMap((s) => [s, '']));
  out.push('## 二、部门整体支出绩效自评表（指标部分）', '', `模板：${indicators.templateName}`, '');
  out.push(table(indicatorTable(model)), '');
  if (indicators.withoutTarget.length > 0) out.push(`未设定年度指标值、未列入本表的指标：${indicators.withoutTarget.join('、')}。`, '');
  model.appendix.forEach((t, i) => {
    out.push(`## 附表${i + 1} ${t.title}（按${model.interval === 'month' ? '月' : '日'}）`, '');
    out.push(table(appendixTable(t)), '');
  });
  out.push(...hotspotMarkdown(model.hotspots));
  return Buffer.from(out.join('\n'));
}
