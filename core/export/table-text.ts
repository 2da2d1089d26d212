import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { kpiHeader, type AppendixTable, type ExportModel } from './export-model.ts';
import type { TargetSetting } from './indicator-template.ts';
import { writeDec1, writeInt, writePct2 } from './writing-rules.ts';

/** Shown in a table for a figure that cannot be computed (a rate over nothing). */
export const NO_VALUE = '—';

/**
 * A served figure as a table cell of the DOCX and Markdown: counts exact, rates as percent with two
 * decimals (87.02%), ratios, means and scores with one decimal; `—` for null. The unit is in the header.
 */
export function tableText(id: string, figure: KpiValue | undefined): string {
  const def = KPI_BY_ID.get(id);
  if (!def || !figure || figure.value === null) return NO_VALUE;
  const text =
    def.unitZh === '%' ? writePct2(figure) : def.kind === 'count' || def.kind === 'live' ? writeInt(figure.value) : writeDec1(figure.value);
  return text ?? NO_VALUE;
}

/** A target with its direction and unit: `≥95.00%`, `≥700000件`. */
export function targetText(id: string, target: TargetSetting): string {
  const def = KPI_BY_ID.get(id)!;
  const sign = target.direction === '>=' ? '≥' : '≤';
  const value = tableText(id, { value: target.target });
  return def.unitZh === '%' ? `${sign}${value}` : `${sign}${value}${def.unitZh}`;
}

/** An actual value with its unit (rates carry %): `87.02%`, `3037条`. */
export function actualText(id: string, figure: KpiValue | null): string {
  const def = KPI_BY_ID.get(id)!;
  const value = tableText(id, figure ?? undefined);
  return value === NO_VALUE || def.unitZh === '%' ? value : `${value}${def.unitZh}`;
}

/** A table as the DOCX and the Markdown lay it out: a header and rows of cell text. */
export interface TextTable {
  header: string[];
  rows: string[][];
}

/** The self-assessment table (指标部分): one row per indicator, then 合计 with the total weight and score. */
export function indicatorTable(model: ExportModel): TextTable {
  const ind = model.indicators;
  return {
    header: ['一级指标', '二级指标', '三级指标', '年度指标值', '实际完成值', '分值', '得分', '偏差原因分析及改进措施'],
    rows: [
      ...ind.rows.map((r) => [
        r.level1,
        r.level2,
        r.name,
        r.kpi && r.target ? targetText(r.kpi, r.target) : '',
        r.kpi ? actualText(r.kpi, r.actual) : '',
        String(r.weight),
        r.score === null ? '' : String(r.score),
        r.note,
      ]),
      ['合计', '', '', '', '', String(ind.totalWeight), String(ind.totalScore), ''],
    ],
  };
}

/** An appendix table: one row per bucket, then 合计 over the whole period. */
export function appendixTable(t: AppendixTable): TextTable {
  return {
    header: ['期间', ...t.kpiIds.map(kpiHeader)],
    rows: [
      ...t.rows.map((r) => [r.label, ...r.values.map((v, k) => tableText(t.kpiIds[k]!, v))]),
      ['合计', ...t.total.map((v, k) => tableText(t.kpiIds[k]!, v))],
    ],
  };
}
