import type { FeedName } from './feeds/feed.ts';

/**
 * The KPI dictionary of KPIS.md. Every figure shown or exported is computed here and nowhere else.
 * Definitions read summed aggregate fields (what the workers count) and return the served value:
 * counts as integers, rates as fractions in [0, 1] with numerator and denominator, null when the
 * denominator is 0.
 */

/** Aggregate fields summed over a period: field name → integer. */
export type Fields = Readonly<Record<string, number>>;

export type KpiKind = 'count' | 'rate' | 'cohortRate' | 'ratio' | 'mean' | 'score' | 'live';
export type KpiStatus = 'met' | 'not_met' | 'no_target';

/** A served figure; `value` is null when it cannot be computed (a rate over nothing). */
export interface KpiValue {
  value: number | null;
  numerator?: number;
  denominator?: number;
  target?: number;
  status?: KpiStatus;
}

/** Settings that change how a figure is computed (KPIS.md mentions each). */
export interface KpiSettings {
  /** Whether 基本满意 counts as satisfied in hotline.satisfactionRate (default true). */
  countBasicallySatisfied: boolean;
}

export const DEFAULT_KPI_SETTINGS: KpiSettings = { countBasicallySatisfied: true };

export interface KpiDefinition {
  id: string;
  feed: FeedName;
  nameZh: string;
  nameEn: string;
  kind: KpiKind;
  /** The unit as the report writes it after a count (条, 件, 件次, 人次), or '%' for rates. */
  unitZh: string;
  compute(fields: Fields, settings: KpiSettings): KpiValue;
}

const n = (fields: Fields, name: string): number => fields[name] ?? 0;

/** A rate: null when the denominator is 0, never NaN or 0%. */
export function rate(numerator: number, denominator: number): KpiValue {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

const count = (field: string) => (f: Fields): KpiValue => ({ value: n(f, field) });

const SATISFIED_LEVELS = ['very_satisfied', 'satisfied'] as const;
const ALL_LEVELS = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;

export const KPI_DEFINITIONS: readonly KpiDefinition[] = [
  { id: 'hotline.received', feed: 'hotline', nameZh: '受理工单', nameEn: 'Tickets received', kind: 'count', unitZh: '条', compute: count('received') },
  { id: 'hotline.signed', feed: 'hotline', nameZh: '签收工单', nameEn: 'Tickets signed', kind: 'count', unitZh: '条', compute: count('signed') },
  { id: 'hotline.responded', feed: 'hotline', nameZh: '响应工单', nameEn: 'Tickets responded', kind: 'count', unitZh: '条', compute: count('responded') },
  { id: 'hotline.completed', feed: 'hotline', nameZh: '办结工单', nameEn: 'Tickets completed', kind: 'count', unitZh: '条', compute: count('completed') },
  { id: 'hotline.visited', feed: 'hotline', nameZh: '回访工单', nameEn: 'Tickets visited', kind: 'count', unitZh: '条', compute: count('visited') },
  {
    id: 'hotline.completionRate', feed: 'hotline', nameZh: '办结率', nameEn: 'Completion rate', kind: 'rate', unitZh: '%',
    compute: (f) => rate(n(f, 'completed'), n(f, 'signed')),
  },
  {
    id: 'hotline.visitRate', feed: 'hotline', nameZh: '回访率', nameEn: 'Follow-up rate', kind: 'rate', unitZh: '%',
    compute: (f) => rate(n(f, 'visited'), n(f, 'completed')),
  },
  {
    id: 'hotline.resolutionRate', feed: 'hotline', nameZh: '问题解决率', nameEn: 'Resolution rate', kind: 'rate', unitZh: '%',
    compute: (f) => rate(n(f, 'visited.resolvedYes'), n(f, 'visited.resolvedKnown')),
  },
  {
    id: 'hotline.satisfactionRate', feed: 'hotline', nameZh: '回访满意度', nameEn: 'Satisfaction rate', kind: 'rate', unitZh: '%',
    compute: (f, s) => {
      const satisfied = [...SATISFIED_LEVELS, ...(s.countBasicallySatisfied ? (['basically_satisfied'] as const) : [])];
      return rate(
        satisfied.reduce((sum, level) => sum + n(f, `visited.sat.${level}`), 0),
        ALL_LEVELS.reduce((sum, level) => sum + n(f, `visited.sat.${level}`), 0),
      );
    },
  },
];

export const KPI_BY_ID: ReadonlyMap<string, KpiDefinition> = new Map(KPI_DEFINITIONS.map((k) => [k.id, k]));

/** Computes every KPI of `feeds` from each feed's summed fields. */
export function computeKpis(
  fieldsByFeed: Partial<Record<FeedName, Fields>>,
  settings: KpiSettings = DEFAULT_KPI_SETTINGS,
): Record<string, KpiValue> {
  const out: Record<string, KpiValue> = {};
  for (const def of KPI_DEFINITIONS) {
    const fields = fieldsByFeed[def.feed];
    if (fields) out[def.id] = def.compute(fields, settings);
  }
  return out;
}
