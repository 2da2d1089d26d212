import type { FeedName } from './feeds/feed.ts';
import { DEFAULT_SETTINGS, type Settings } from './settings.ts';
import { HOTLINE_KPIS } from './feeds/hotline/kpis.ts';
import { ONLINE_KPIS } from './feeds/online/kpis.ts';
import { HALL_KPIS } from './feeds/hall/kpis.ts';
import { CROSS_REGION_KPIS } from './feeds/cross-region/kpis.ts';
import { EVALUATION_KPIS } from './feeds/evaluations/kpis.ts';
import type { Fields, KpiDefinition, KpiValue } from './kpis/kpi-helpers.ts';

/**
 * The KPI dictionary of KPIS.md. Every figure shown or exported is computed by one of these
 * definitions and nowhere else. Counts are integers; rates are fractions in [0, 1] with numerator and
 * denominator, null when the denominator is 0; means are minutes.
 */
export type { Fields, KpiDefinition, KpiKind, KpiStatus, KpiValue } from './kpis/kpi-helpers.ts';
export { rate } from './kpis/kpi-helpers.ts';

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  ...HOTLINE_KPIS,
  ...ONLINE_KPIS,
  ...HALL_KPIS,
  ...CROSS_REGION_KPIS,
  ...EVALUATION_KPIS,
];

export const KPI_BY_ID: ReadonlyMap<string, KpiDefinition> = new Map(KPI_DEFINITIONS.map((k) => [k.id, k]));

/** Computes every KPI of the feeds present in `fieldsByFeed`. */
export function computeKpis(
  fieldsByFeed: Partial<Record<FeedName, Fields>>,
  settings: Settings = DEFAULT_SETTINGS,
): Record<string, KpiValue> {
  const out: Record<string, KpiValue> = {};
  for (const def of KPI_DEFINITIONS) {
    const fields = fieldsByFeed[def.feed];
    if (fields) out[def.id] = def.compute(fields, settings);
  }
  return out;
}
