import type { FeedName } from '../feeds/feed.ts';
import type { Settings } from '../settings.ts';

/**
 * Types and building blocks of KPI definitions. A definition reads *fields*: the feed's aggregate
 * counters summed over the period, plus synthetic fields the KPI service adds:
 * - `_days.active`: days of the period whose bucket holds anything (hall.openDays);
 * - `_prev.<field>`: the same counter over the same period one year earlier (year-on-year);
 * - `_live.<name>`: live figures as of now (hotline `_live.open`, `_live.overdue`,
 *   `_live.overdueSignedInPeriod`; hall `_live.waitingNow`);
 * - `_ref.<name>`: reference data as of the period's end (crossRegion `_ref.partners`,
 *   `_ref.partners.inter_provincial`, `_ref.partners.changzhutan`, `_ref.items`);
 * - `_computed.<name>`: figures computed from indexes rather than buckets (hotline `_computed.repeat`).
 */

/** Aggregate fields summed over a period: field name → number. */
export type Fields = Readonly<Record<string, number>>;

export type KpiKind = 'count' | 'rate' | 'cohortRate' | 'ratio' | 'mean' | 'score' | 'live';
export type KpiStatus = 'met' | 'not_met' | 'no_target';

/** A served figure; `value` is null when it cannot be computed (a rate or mean over nothing). */
export interface KpiValue {
  value: number | null;
  numerator?: number;
  denominator?: number;
  target?: number;
  status?: KpiStatus;
  /** Parts of the value by kind (hotline.supervised by 督办 kind, crossRegion.partners by scope); they sum to `value`. */
  breakdown?: Record<string, number>;
}

export interface KpiDefinition {
  id: string;
  feed: FeedName;
  nameZh: string;
  nameEn: string;
  kind: KpiKind;
  /** The unit as the report writes it after the figure (条, 件, 件次, 人次, 个, 项, 分钟, 倍, 分), or '%' for rates. */
  unitZh: string;
  /** True when the definition reads `_prev.*` fields. */
  needsPreviousYear?: boolean;
  compute(fields: Fields, settings: Settings): KpiValue;
}

export const field = (fields: Fields, name: string): number => fields[name] ?? 0;

/** A rate: null when the denominator is 0, never NaN or 0%. */
export function rate(numerator: number, denominator: number): KpiValue {
  return { value: denominator === 0 ? null : numerator / denominator, numerator, denominator };
}

/** A mean or ratio: null over nothing; numerator and denominator served beside it. */
export const ratio = rate;

/** A count of one field. */
export const count =
  (name: string) =>
  (fields: Fields): KpiValue => ({ value: field(fields, name) });

/** The rate of two fields. */
export const rateOf =
  (numerator: string, denominator: string) =>
  (fields: Fields): KpiValue =>
    rate(field(fields, numerator), field(fields, denominator));

/** The synthetic fields the KPI service adds beside a feed's own (see the top of this file). */
export type SyntheticField = `_days.${string}` | `_prev.${string}` | `_live.${string}` | `_ref.${string}` | `_computed.${string}`;

/**
 * `field`, `count` and `rateOf` for one feed's fields `F` (shared/feeds/<feed>/fields.ts) and the synthetic
 * ones: a KPI reading a field its applier never counts is a compile error.
 */
export function fieldReaders<F extends string>() {
  type Name = F | SyntheticField;
  return {
    field: field as (fields: Fields, name: Name) => number,
    count: count as (name: Name) => (fields: Fields) => KpiValue,
    rateOf: rateOf as (numerator: Name, denominator: Name) => (fields: Fields) => KpiValue,
  };
}
