import { KPI_BY_ID, type KpiDefinition, type KpiValue } from '@shared/kpis.ts';
import type { AppLocale } from './i18n.ts';

/** Shown for a figure that cannot be computed (a rate over nothing) or has not arrived yet. */
export const NO_VALUE = '—';

/** The KPI definition of `id`; throws on an id shared/kpis.ts does not know (a typo, caught at first render). */
export function kpiDefinition(id: string): KpiDefinition {
  const def = KPI_BY_ID.get(id);
  if (!def) throw new Error(`unknown KPI id ${id}`);
  return def;
}

/** The KPI's display name in `locale`, from its one definition in shared/kpis.ts. */
export function kpiName(id: string, locale: AppLocale): string {
  const def = kpiDefinition(id);
  return locale === 'en' ? def.nameEn : def.nameZh;
}

/** Whether the KPI is a fraction shown as a percentage. */
export function isPercent(def: KpiDefinition): boolean {
  return def.unitZh === '%';
}

/** Decimals a figure of each kind is written with on the wall: means (minutes) to 0.1, ratios (倍) to 0.01. */
const DECIMALS_BY_KIND: Partial<Record<KpiDefinition['kind'], number>> = { mean: 1, ratio: 2, score: 1 };

/**
 * The served value as the wall shows it: counts as exact integers without separators, rates as integer
 * percent (`87%`), means to one decimal (minutes), ratios to two (`1.35`), and `—` for null or a KPI not
 * in the snapshot.
 */
export function formatKpiValue(def: KpiDefinition, served: KpiValue | undefined): string {
  return formatKpiNumber(def, served?.value);
}

/** `formatKpiValue` for a bare number (a group's figure, a breakdown part); `—` for null/undefined/NaN. */
export function formatKpiNumber(def: KpiDefinition, value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return NO_VALUE;
  if (isPercent(def)) return `${Math.round(value * 100)}%`;
  const decimals = DECIMALS_BY_KIND[def.kind] ?? 0;
  return decimals === 0 ? String(Math.round(value)) : value.toFixed(decimals);
}

/** The unit written after a count (条, 件…) in Chinese; none for rates, nor in English. */
export function kpiUnit(def: KpiDefinition, locale: AppLocale): string {
  return locale === 'en' || isPercent(def) ? '' : def.unitZh;
}
