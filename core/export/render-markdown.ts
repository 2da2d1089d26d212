import { kpiHeader, type ExportModel } from './export-model.ts';
import { actualText, tableText, targetText } from './table-text.ts';

/** A Markdown table cell: pipes escaped, line breaks flattened. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function table(header: string[], rows: string[][]): string {
  return [header, header.map(() => '---'), ...rows].map((r) => `| ${r.map(cell).join(' | ')} |`).join('\n');
}

/** The export as Markdown: the sentences, the indicator table and the appendix tables (charts are in the DOCX). */
export function renderMarkdown(model: ExportModel): Buffer {
  const { indicators } = model;
  const out: string[] = [`# ${model.title}`, '', `数据期间：${model.period.from} 至 ${model.period.to}　生成时间：${model.generatedAt}`, ''];
  out.push('## 一、部门整体支出绩效情况（数据）', '', ...model.sentences.flatMap((s) => [s, '']));
  out.push('## 二、部门整体支出绩效自评表（指标部分）', '', `模板：${indicators.templateName}`, '');
  out.push(
    table(
      ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
      [
        ...indicators.rows.map((r) => [
          r.level1,
          r.level2,
          r.name,
          r.kpi && r.target ? targetText(r.kpi, r.target) : '',
          r.kpi ? actualText(r.kpi, r.actual) : '',
          String(r.weight),
          r.score === null ? '' : String(r.score),
          r.note,
        ]),
        ['合计', '', '', '', '', String(indicators.totalWeight), String(indicators.totalScore), ''],
      ],
    ),
    '',
  );
  if (indicators.withoutTarget.length > 0) out.push(`未设定年度指标值、未列入本表的指标：${indicators.withoutTarget.join('、')}。`, '');
  model.appendix.forEach((t, i) => {
    out.push(`## 附表${i + 1} ${t.title}（按${model.interval === 'month' ? '月' : '日'}）`, '');
    out.push(
      table(
        ['期间', ...t.kpiIds.map(kpiHeader)],
        [...t.rows.map((r) => [r.label, ...r.values.map((v, k) => tableText(t.kpiIds[k]!, v))]), ['合计', ...t.total.map((v, k) => tableText(t.kpiIds[k]!, v))]],
      ),
      '',
    );
  });
  return Buffer.from(out.join('\n'));
}
