import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
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
  const text = def.unitZh === '%' ? writePct2(figure) : def.kind === 'count' || def.kind === 'live' ? writeInt(figure.value) : writeDec1(figure.value);
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
