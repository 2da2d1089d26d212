import { formatTime, yearCalendar, type CalendarDay } from './calendar.ts';
import { Rng } from './random.ts';
import type { Expectation, Tally } from './tally.ts';

/** What every feed generator is given: the year, its days, and a seeded stream per purpose. */
export interface GeneratorContext {
  year: number;
  seed: number;
  /** 1 = the 2022 report's magnitudes. */
  scale: number;
  days: readonly CalendarDay[];
  /**
   * This year's own departure from the usual month-by-month profile, a multiplier per month (index 0 =
   * January) on every feed's day weights: all 1 unless `seasonality` is given (see createContext). A year's
   * totals stay the report's; only how they spread over the months changes.
   */
  monthFactors: readonly number[];
  /** An independent random stream for `label` (e.g. 'hotline.times'). */
  rng(label: string): Rng;
}

/** A record as sent to `POST /api/ingest/<feed>`: plain JSON, public field names of FEEDS.md. */
export type FeedRecord = Record<string, string | number | boolean>;

/** One feed's records and what the generator counted while producing them. */
export interface FeedOutput {
  records: FeedRecord[];
  tally: Tally;
  /** Year-level expectations that are not sums over months (live figures), by KPI id. */
  yearOnly?: Record<string, Expectation>;
}

export function createContext(year: number, seed: number, scale: number, seasonality = 0): GeneratorContext {
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new Error(`year must be a whole number 2000–2100, got ${year}`);
  if (!(scale > 0 && scale <= 10)) throw new Error(`scale must be in (0, 10], got ${scale}`);
  if (!(seasonality >= 0 && seasonality <= 1)) throw new Error(`seasonality must be in [0, 1], got ${seasonality}`);
  const rng = (label: string) => Rng.for(seed >>> 0, `${year}|${label}`);
  return { year, seed: seed >>> 0, scale, days: yearCalendar(year), monthFactors: monthFactorsOf(rng('seasonality'), seasonality), rng };
}

/**
 * A year's month factors for `seasonality` s ≥ 0: exp(s · (0.7·z_m + 0.7·t·(m − 5.5)/5.5)) with z_m and t
 * standard normal — each month off the usual profile by about ±s·70 %, plus a trend across the year of
 * about the same size. s = 0: all exactly 1 (the generator's output unchanged).
 */
function monthFactorsOf(rng: Rng, seasonality: number): number[] {
  if (seasonality === 0) return new Array<number>(12).fill(1);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const trend = normal();
  return Array.from({ length: 12 }, (_, m) => Math.exp(seasonality * (0.7 * normal() + (0.7 * trend * (m - 5.5)) / 5.5)));
}

/**
 * A time as a source system writes it: mostly with the +08:00 offset, sometimes (≈15 %) without one
 * (local time), so both forms of FEEDS.md are exercised.
 */
export function writeTime(rng: Rng, ms: number): string {
  return formatTime(ms, !rng.chance(0.15));
}

/** An enumeration written as its English code, or (with probability `zhShare`) as its Chinese label. */
export function writeEnum<C extends string>(rng: Rng, code: C, labels: Readonly<Record<C, string>>, zhShare = 0.25): string {
  return rng.chance(zhShare) ? labels[code] : code;
}

/** A boolean in one of the spellings FEEDS.md accepts: true/false, 1/0, 是/否, Y/N. */
export function writeBoolean(rng: Rng, value: boolean): boolean | string | number {
  const r = rng.next();
  if (r < 0.6) return value;
  if (r < 0.8) return value ? '是' : '否';
  if (r < 0.9) return value ? 1 : 0;
  return value ? 'Y' : 'N';
}

/** Day weights with ±`spread` multiplicative noise. */
export function noisy(rng: Rng, weight: number, spread = 0.15): number {
  return weight * (1 + rng.float(-spread, spread));
}
