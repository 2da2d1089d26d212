import type { KpiKind, KpiValue } from '../../shared/kpis.ts';

/**
 * How the annual report writes a figure (REPORT.md, "How figures are written"). Pure functions from a
 * served figure to the text that goes into a sentence; they never recompute a figure, they only round or
 * floor the one the KPI API served. `null` means "this figure cannot be written": the template drops
 * the sentence (or clause) that holds it — a rate over nothing is never written as 0%.
 *
 * Where a rate's integer numerator and denominator are served, percentages are computed from them with
 * integer arithmetic, so 87.5% rounds to 88% and 99.16% floors to 99% without binary-fraction drift.
 */

/** The names a template may put after `|` in a placeholder. */
export const WRITING_RULES = ['int', 'floor', 'round', 'dec1', 'pct', 'floorPct', 'pct2', 'approx'] as const;
export type WritingRule = (typeof WRITING_RULES)[number];

export function isWritingRule(name: string): name is WritingRule {
  return (WRITING_RULES as readonly string[]).includes(name);
}

/** The rule used when a placeholder names none: counts exact, rates rounded; other kinds must say. */
export function defaultRule(kind: KpiKind): WritingRule | null {
  if (kind === 'count' || kind === 'live') return 'int';
  if (kind === 'rate' || kind === 'cohortRate') return 'pct';
  return null;
}

/** Integer numerator and denominator of a figure when both are served and usable (denominator > 0). */
function exactFraction(figure: KpiValue): { n: number; d: number } | null {
  const { numerator: n, denominator: d } = figure;
  if (n === undefined || d === undefined || !Number.isSafeInteger(n) || !Number.isSafeInteger(d) || d <= 0 || n < 0) return null;
  return { n, d };
}

/** floor(n × scale / d) for non-negative integers, exactly. */
const floorScaled = (n: number, d: number, scale: number) => (n * scale - ((n * scale) % d)) / d;

/** round-half-up(n × scale / d) for non-negative integers, exactly. */
const roundScaled = (n: number, d: number, scale: number) => floorScaled(2 * n * scale + d, 2 * d, 1);

/** A count as the report writes it: the exact integer, no thousands separator (713752件). */
export function writeInt(value: number | null): string | null {
  return value === null ? null : String(Math.round(value));
}

/**
 * A multiple floored to an integer (713752 / 38383 = 18.6 → `18`). A multiple under 1 is not written
 * (“是去年的0倍” says nothing): null.
 */
export function writeFloor(figure: KpiValue): string | null {
  if (figure.value === null) return null;
  const exact = exactFraction(figure);
  const floored = exact ? floorScaled(exact.n, exact.d, 1) : Math.floor(figure.value + 1e-9);
  return floored < 1 ? null : String(floored);
}

/** A ratio or mean rounded to an integer (half up). */
export function writeRound(value: number | null): string | null {
  return value === null ? null : String(Math.round(value));
}

/** A mean with one decimal (平均等候时长 12.5 分钟); whole numbers keep their `.0` off. */
export function writeDec1(value: number | null): string | null {
  return value === null ? null : String(Math.round(value * 10) / 10);
}

/** A rate rounded to an integer percent: 2380 / 2735 = 87.02% → `87%`; 87.5% → `88%`. */
export function writePct(figure: KpiValue): string | null {
  if (figure.value === null) return null;
  const exact = exactFraction(figure);
  return `${exact ? roundScaled(exact.n, exact.d, 100) : Math.round(figure.value * 100)}%`;
}

/**
 * A rate quoted as a floor, “达…以上”: floored to an integer percent, then 以上 (99.16% → `99%以上`).
 * Exactly 100% is written `100%` — nothing is above it.
 */
export function writeFloorPct(figure: KpiValue): string | null {
  if (figure.value === null) return null;
  const exact = exactFraction(figure);
  const floored = exact ? floorScaled(exact.n, exact.d, 100) : Math.floor(figure.value * 100 + 1e-9);
  const isWhole = exact ? exact.n === exact.d : figure.value >= 1;
  return isWhole ? '100%' : `${floored}%以上`;
}

/** A rate with two decimals, for tables (87.02%). */
export function writePct2(figure: KpiValue): string | null {
  if (figure.value === null) return null;
  return `${(Math.round(figure.value * 10_000) / 100).toFixed(2)}%`;
}

/**
 * An approximate magnitude, floored and followed by 余: to hundreds from 100 on (2043.4 → `2000余`),
 * to tens from 10 to 99 (87.5 → `80余`), to units below 10 (7.5 → `7余`). A value that is already
 * round at that step is written without 余 (2000 → `2000`); 0 is `0`.
 */
export function writeApprox(value: number | null): string | null {
  if (value === null) return null;
  const step = value >= 100 ? 100 : value >= 10 ? 10 : 1;
  const floored = Math.floor(value / step + 1e-9) * step;
  return floored === value ? String(floored) : `${floored}余`;
}

/** Applies `rule` to the figure; `part` values (numerator, denominator, a breakdown) arrive as `{ value }`. */
export function applyRule(rule: WritingRule, figure: KpiValue): string | null {
  switch (rule) {
    case 'int':
      return writeInt(figure.value);
    case 'floor':
      return writeFloor(figure);
    case 'round':
      return writeRound(figure.value);
    case 'dec1':
      return writeDec1(figure.value);
    case 'pct':
      return writePct(figure);
    case 'floorPct':
      return writeFloorPct(figure);
    case 'pct2':
      return writePct2(figure);
    case 'approx':
      return writeApprox(figure.value);
  }
}
