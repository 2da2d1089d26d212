/**
 * The pace model of 预计全年 (docs/ARCHITECTURE.md, "Projection"): one daily series of a year, observed up to a
 * cut-off, projected to 31 December. Pure arithmetic on numbers; no Redis, no KPI names.
 *
 * Expected count of day d = λ · w(d), with w(d) = dayType(d) · month(d):
 * - dayType: 1 on working days, r on the others, r = the series' non-working-day pace over its working-day pace
 *   (from the previous year where given, else from the days observed) — the hall, closed on weekends and
 *   holidays, has r ≈ 0 and follows the calendar; the hotline, quieter on weekends, has r ≈ 0.5;
 * - month: the previous year's month-by-month level (its counts, one added per month, over its day-type
 *   exposure), when the previous year holds enough counts; else 1 (flat per eligible day);
 * - λ = observed count / observed exposure (the year's own pace).
 *
 * Variance of the year-end total (an overdispersed Poisson: variance = φ · mean): φ·λ·W_left for the days
 * left, φ·λ·W_left²/W_seen for the uncertainty of λ itself, and κ²·left² for the pace drifting in the months
 * ahead (κ = DRIFT_KAPPA, calibrated by bench/projection-backtest.ts, shrunk towards the year's own
 * month-to-month spread beyond Poisson). φ is estimated from the observed whole months (≥ 3 of them) or weeks
 * around the fitted pace, shrunk towards 1 (Poisson).
 */

/** z of the 80 % two-sided normal interval. */
export const Z80 = 1.2816;
/** Relative sd of the pace of the days left against the pace seen (bench/projection-backtest.ts calibrates it). */
export const DRIFT_KAPPA = 0.2;
/** Prior weight (in blocks) of φ = 1 when estimating the overdispersion. */
const PRIOR_BLOCKS = 4;
/** Prior weight (in months) of DRIFT_KAPPA when estimating the drift from the year's own months. */
const PRIOR_MONTHS = 3;
/** Below this non-working over working pace, a series follows the working-day calendar. */
export const FOLLOWS_CALENDAR_BELOW = 0.5;

/** The days of a year: for each, whether it is a working day and its month (1–12). */
export interface YearDays {
  working: readonly boolean[];
  month: readonly number[];
}

export interface SeriesInput {
  /** Counts of the year's days 1 January … the cut-off (its length is the days observed). */
  current: readonly number[];
  days: YearDays;
  /** The previous year's counts of all its days, or null. */
  previous: readonly number[] | null;
  previousDays: YearDays | null;
}

export interface SeriesProjection {
  observed: number;
  /** Projected year-end total (observed + days left); null when the days seen carry no exposure. */
  total: number | null;
  /** Projected count of the days left. */
  left: number;
  variance: number;
  /** The previous year's month profile was used. */
  previousYearProfile: boolean;
  /** The series follows the working-day calendar (non-working-day pace below half the working-day pace). */
  followsCalendar: boolean;
  /** Weights of the days left (for a rate's denominator). */
  exposureLeft: number;
  exposureSeen: number;
  /** Estimated overdispersion. */
  dispersion: number;
}

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** Non-working-day pace over working-day pace of a series; null when either kind has no day or no count. */
function dayTypeRatio(counts: readonly number[], working: readonly boolean[]): number | null {
  let w = 0;
  let nw = 0;
  let wDays = 0;
  let nwDays = 0;
  counts.forEach((x, d) => {
    if (working[d]) {
      w += x;
      wDays++;
    } else {
      nw += x;
      nwDays++;
    }
  });
  if (wDays === 0 || nwDays === 0 || w === 0) return null;
  return nw / nwDays / (w / wDays);
}

/** Fewer counts than this in the previous year give no month profile (it would be noise). */
const MIN_PROFILE_COUNT = 48;

/**
 * Month levels of the previous year (index 0 = January): its counts over its day-type exposure, each month
 * with one count added (a month with none, e.g. before a programme started, is low, not zero); null when the
 * year holds fewer than MIN_PROFILE_COUNT.
 */
function monthProfile(previous: readonly number[], days: YearDays, ratio: number): number[] | null {
  const counts = new Array<number>(12).fill(0);
  const exposure = new Array<number>(12).fill(0);
  previous.forEach((x, d) => {
    const m = days.month[d]! - 1;
    counts[m]! += x;
    exposure[m]! += days.working[d] ? 1 : ratio;
  });
  if (sum(counts) < MIN_PROFILE_COUNT || exposure.some((e) => e === 0)) return null;
  return counts.map((c, m) => (c + 1) / exposure[m]!);
}

/**
 * κ² of the pace's drift: the calibrated DRIFT_KAPPA² shrunk towards what the year's own whole months show —
 * their spread around the fitted pace beyond Poisson noise, (c − e)² − e over e², with the prior worth
 * PRIOR_MONTHS months.
 */
function driftOf(blocks: readonly { count: number; expected: number }[], monthly: boolean): number {
  const used = monthly ? blocks.filter((b) => b.expected > 0) : [];
  const own =
    used.length >= 3
      ? Math.max(0, sum(used.map((b) => ((b.count - b.expected) ** 2 - b.expected) / b.expected ** 2)) / (used.length - 1))
      : 0;
  const dof = used.length >= 3 ? used.length - 1 : 0;
  return (PRIOR_MONTHS * DRIFT_KAPPA ** 2 + dof * own) / (PRIOR_MONTHS + dof);
}

/** φ of counts around expectations, block by block, shrunk towards 1; 1 with fewer than two blocks. */
function dispersionOf(blocks: readonly { count: number; expected: number }[]): number {
  const used = blocks.filter((b) => b.expected > 0);
  if (used.length < 2) return 1;
  const chi2 = sum(used.map((b) => (b.count - b.expected) ** 2 / b.expected));
  const dof = used.length - 1;
  return Math.max(0.05, (chi2 + PRIOR_BLOCKS) / (dof + PRIOR_BLOCKS));
}

/** Blocks of the observed days: whole calendar months when at least three are seen, else weeks of 7 days. */
export function observedBlocks(seen: number, days: YearDays): number[][] {
  const months: number[][] = [];
  for (let d = 0; d < seen; d++) {
    const m = days.month[d]! - 1;
    (months[m] ??= []).push(d);
  }
  const whole = months.filter((block, m) => block && (seen >= days.month.length || days.month[seen]! - 1 !== m));
  if (whole.length >= 3) return whole;
  const weeks: number[][] = [];
  for (let start = 0; start + 7 <= seen; start += 7) weeks.push(Array.from({ length: 7 }, (_, i) => start + i));
  return weeks;
}

/** Projects one daily count series to the year's end (see the module comment). */
export function projectSeries(input: SeriesInput): SeriesProjection {
  const { current, days, previous, previousDays } = input;
  const seen = current.length;
  const observed = sum(current);
  const havePrevious = previous !== null && previousDays !== null && sum(previous) > 0;
  const ratio =
    (havePrevious ? dayTypeRatio(previous, previousDays.working) : null) ?? dayTypeRatio(current, days.working.slice(0, seen)) ?? 1;
  const profile = havePrevious ? monthProfile(previous, previousDays, ratio) : null;
  const weight = (d: number) => (days.working[d] ? 1 : ratio) * (profile ? profile[days.month[d]! - 1]! : 1);
  let exposureSeen = 0;
  let exposureLeft = 0;
  for (let d = 0; d < days.working.length; d++) {
    if (d < seen) exposureSeen += weight(d);
    else exposureLeft += weight(d);
  }
  const base = {
    observed,
    previousYearProfile: profile !== null,
    followsCalendar: ratio < FOLLOWS_CALENDAR_BELOW,
    exposureLeft,
    exposureSeen,
  };
  if (exposureLeft === 0) return { ...base, total: observed, left: 0, variance: 0, dispersion: 1 };
  if (exposureSeen === 0) return { ...base, total: null, left: 0, variance: 0, dispersion: 1 };
  const pace = observed / exposureSeen;
  const spans = observedBlocks(seen, days);
  const monthly = spans.length > 0 && spans[0]!.length > 7;
  const blocks = spans.map((block) => ({
    count: sum(block.map((d) => current[d]!)),
    expected: pace * sum(block.map(weight)),
  }));
  const dispersion = dispersionOf(blocks);
  const left = pace * exposureLeft;
  // A series with nothing seen yet still has an uncertain pace: as if half a count had been seen.
  const varPace = Math.max(observed, 0.5) / exposureSeen;
  const variance =
    dispersion * varPace * exposureLeft + (dispersion * varPace * exposureLeft ** 2) / exposureSeen + driftOf(blocks, monthly) * left ** 2;
  return { ...base, total: observed + left, left, variance, dispersion };
}

/**
 * The 80 % interval of a rate numerator/denominator over the year, from the two series' projections: the
 * rate of the days left is uncertain as a binomial share with the numerator's overdispersion, estimated from
 * the rate observed; the denominator's own uncertainty moves the year's rate far less and is left out.
 */
export function rateInterval(
  numerator: SeriesProjection,
  denominator: SeriesProjection,
  blocks: readonly { numerator: number; denominator: number }[],
): { value: number | null; low: number | null; high: number | null } {
  const n = numerator.total;
  const d = denominator.total;
  if (n === null || d === null || d === 0) return { value: null, low: null, high: null };
  const value = n / d;
  const seenD = denominator.observed;
  const leftD = denominator.left;
  if (leftD <= 0) return { value, low: value, high: value };
  const shareLeft = leftD > 0 ? numerator.left / leftD : value;
  const q = Math.min(Math.max((numerator.observed + 0.5) / (seenD + 1), 1e-6), 1 - 1e-6);
  const used = blocks.filter((b) => b.denominator > 0);
  let dispersion = 1;
  if (used.length >= 2) {
    const rate = numerator.observed / Math.max(seenD, 1);
    const chi2 = sum(used.map((b) => (b.numerator - rate * b.denominator) ** 2 / (b.denominator * q * (1 - q))));
    dispersion = Math.max(0.05, (chi2 + PRIOR_BLOCKS) / (used.length - 1 + PRIOR_BLOCKS));
  }
  const varShare =
    dispersion * q * (1 - q) * (1 / Math.max(seenD, 1) + 1 / leftD) +
    (DRIFT_KAPPA * Math.min(q, 1 - q)) ** 2 * (denominator.exposureLeft / (denominator.exposureLeft + denominator.exposureSeen));
  const sd = (leftD / d) * Math.sqrt(varShare);
  const ceiling = value <= 1 && shareLeft <= 1 ? 1 : Infinity;
  return { value, low: Math.max(0, value - Z80 * sd), high: Math.min(ceiling, value + Z80 * sd) };
}
