import type { HotspotLevel } from '../../shared/analytics/hotspots.ts';
import { localDayHour } from '../../shared/time.ts';
import { seriesKey, type HotspotSeries } from './hotspot-store.ts';
import { logNegBinomialUpperTail } from './tail.ts';

/**
 * The 未诉先办 detector (ANALYTICS.md; method in docs/ARCHITECTURE.md "Hotspots"), pure: no Redis, no clock.
 *
 * For each series — a (category, street), a category, a street — the tickets signed in the last 24 h and
 * 48 h are compared with what the series' own history predicts for that window. The prediction: the
 * district's tickets expected in the window (its history's mean by weekday and hour of day, or the tickets the
 * other series had in the window when that is more: a district-wide rise raises no series) times the
 * series' share of the district, a Gamma posterior shrunk towards an average category or street (for a
 * pair: the product of its category's and street's shares) with the weight of one ticket; a series
 * observed only for part of the history counts only that part. The observed count's upper tail under the
 * posterior predictive (negative binomial: Poisson when history is long, heavier-tailed when it is thin)
 * gives the score −log10 p. A series is raised when the score passes a Bonferroni threshold over the
 * series × windows × hourly evaluations of a day for `falsePerMonth` false hotspots a month, with at least `minObserved`
 * tickets in the window.
 */

const HOUR_MS = 3_600_000;
/**
 * The score's ceiling: with nothing expected at all (no history yet, the window's tickets all this series') the tail
 * is 0 and −log10 of it infinite, which JSON cannot carry (it became null). 99 is far above any threshold: 红.
 */
export const MAX_SCORE = 99;

/** What the detector knows of the past: the district's hourly profile and each series' tickets. */
export interface DetectorHistory {
  /** Mean district tickets signed per hour of day (0–23) on each weekday (0 = Sunday … 6). */
  hourProfile: number[][];
  /** District tickets in the history. */
  total: number;
  /** Series key (seriesKey) → tickets in the history and the share of the district's history tickets since it was first seen (0–1). */
  series: Map<string, { count: number; exposure: number }>;
  categories: ReadonlySet<string>;
  streets: ReadonlySet<string>;
}

/** A ticket of the recent window (from the hotline `tickets` index). */
export interface RecentTicket {
  id: string;
  /** Signed time, epoch ms. */
  at: number;
  category?: string;
  street?: string;
}

export interface DetectorOptions {
  windowsHours: readonly number[];
  /** False hotspots a month the threshold allows across the district (Bonferroni). */
  falsePerMonth: number;
  minObserved: number;
  /** Prior weight, in tickets, of the average share a series is shrunk towards. */
  priorTickets: number;
}

export const DEFAULT_DETECTOR_OPTIONS: DetectorOptions = { windowsHours: [24, 48], falsePerMonth: 1, minObserved: 5, priorTickets: 1 };

/** A series whose window passed the threshold now. */
export interface Alarm extends HotspotSeries {
  key: string;
  windowHours: number;
  /** Signed time of the window's first ticket (epoch ms). */
  start: number;
  observed: number;
  expected: number;
  score: number;
  level: HotspotLevel;
  ticketIds: string[];
}

/**
 * −log10 p a series must reach: Bonferroni over the tests of a day — each series, each window, evaluated
 * every hour (EVALUATIONS_PER_DAY; the job runs more often, but a window's count moves with its tickets) —
 * so that `falsePerMonth` false hotspots a month is an upper bound whatever the correlation between them.
 */
export function scoreThreshold(seriesCount: number, options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS): number {
  const testsPerDay = Math.max(1, seriesCount) * options.windowsHours.length * EVALUATIONS_PER_DAY;
  return -Math.log10(options.falsePerMonth / 30 / testsPerDay);
}

/** Evaluations of each window a day the threshold accounts for: hourly. */
export const EVALUATIONS_PER_DAY = 24;

/** 黄 from the threshold, 橙 two orders of magnitude past it, 红 four. */
export function levelOf(score: number, threshold: number): HotspotLevel {
  return score >= threshold + 4 ? '红' : score >= threshold + 2 ? '橙' : '黄';
}

const weekdayOf = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay();

/** District tickets the history expects in [fromMs, toMs): the hourly profile, hour by hour (partial hours pro rata). */
export function expectedDistrict(history: DetectorHistory, fromMs: number, toMs: number, tz: string): number {
  let sum = 0;
  let t = fromMs;
  while (t < toMs) {
    const next = Math.min(toMs, Math.floor(t / HOUR_MS) * HOUR_MS + HOUR_MS);
    const { day, hour } = localDayHour(t, tz);
    sum += (history.hourProfile[weekdayOf(day)]?.[hour] ?? 0) * ((next - t) / HOUR_MS);
    t = next;
  }
  return sum;
}

/** The recent tickets of one (category, street) — either may be absent. */
interface PairGroup extends HotspotSeries {
  /** Their positions in the tickets given to detect, by signed time, then position. */
  order: number[];
}

/** Compares positions in `tickets` by signed time, then position. */
const byTimeIn = (tickets: readonly RecentTicket[]) => (a: number, b: number) => tickets[a]!.at - tickets[b]!.at || a - b;

/** Tickets grouped by (category, street): a series' window count is then a sum of a few binary searches. */
function groupByPair(tickets: readonly RecentTicket[]): PairGroup[] {
  const byCategory = new Map<string | undefined, Map<string | undefined, PairGroup>>();
  const groups: PairGroup[] = [];
  for (let i = 0; i < tickets.length; i++) {
    const { category, street } = tickets[i]!;
    let byStreet = byCategory.get(category);
    if (!byStreet) byCategory.set(category, (byStreet = new Map()));
    let group = byStreet.get(street);
    if (!group) {
      group = { ...(category !== undefined && { category }), ...(street !== undefined && { street }), order: [] };
      byStreet.set(street, group);
      groups.push(group);
    }
    group.order.push(i);
  }
  const byTime = byTimeIn(tickets);
  for (const g of groups) {
    // The `tickets` index yields them by signed time already; anything else is sorted once here.
    if (g.order.some((t, k) => k > 0 && byTime(g.order[k - 1]!, t) > 0)) g.order.sort(byTime);
  }
  return groups;
}

/** The first place in `order` whose ticket was signed at or after `ms` (`after`: strictly after). */
function firstAt(tickets: readonly RecentTicket[], order: readonly number[], ms: number, after = false): number {
  let lo = 0;
  let hi = order.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const at = tickets[order[mid]!]!.at;
    if (at < ms || (after && at === ms)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The series a ticket of this category and street counts in: its pair, its category, its street (those it has). */
function seriesOf(t: HotspotSeries): HotspotSeries[] {
  const out: HotspotSeries[] = [];
  if (t.category !== undefined && t.street !== undefined) out.push({ category: t.category, street: t.street });
  if (t.category !== undefined) out.push({ category: t.category });
  if (t.street !== undefined) out.push({ street: t.street });
  return out;
}

/** Posterior Gamma(shape, rate) of a series' share of the district's tickets. */
function sharePosterior(history: DetectorHistory, s: HotspotSeries, nCategories: number, nStreets: number, priorTickets: number) {
  const single = (key: string, prior: number, exposureIfUnseen = 0) => {
    const h = history.series.get(key) ?? { count: 0, exposure: exposureIfUnseen };
    return { shape: priorTickets + h.count, rate: priorTickets / prior + h.exposure * history.total };
  };
  if (s.category === undefined) return single(seriesKey(s), 1 / nStreets);
  if (s.street === undefined) return single(seriesKey(s), 1 / nCategories);
  const c = single(seriesKey({ category: s.category }), 1 / nCategories);
  const st = single(seriesKey({ street: s.street }), 1 / nStreets);
  // A pair never seen was observable as long as its category and its street both were.
  const exposure = Math.min(
    history.series.get(seriesKey({ category: s.category }))?.exposure ?? 0,
    history.series.get(seriesKey({ street: s.street }))?.exposure ?? 0,
  );
  return single(seriesKey(s), (c.shape / c.rate) * (st.shape / st.rate), exposure);
}

/**
 * The alarms at `now`: for each series with at least `minObserved` tickets in a window, the window with the
 * highest score, when it passes the threshold. A category's or a street's alarm is left out when a pair
 * inside it is raised (the pair explains it).
 */
export function detect(
  history: DetectorHistory,
  tickets: readonly RecentTicket[],
  now: number,
  tz: string,
  options: DetectorOptions = DEFAULT_DETECTOR_OPTIONS,
): { alarms: Alarm[]; threshold: number; seriesCount: number } {
  const groups = groupByPair(tickets);
  const categories = new Set(history.categories);
  const streets = new Set(history.streets);
  for (const g of groups) {
    if (g.category !== undefined) categories.add(g.category);
    if (g.street !== undefined) streets.add(g.street);
  }
  const nC = Math.max(1, categories.size);
  const nS = Math.max(1, streets.size);
  const seriesCount = nC * nS + nC + nS;
  const threshold = scoreThreshold(seriesCount, options);
  const best = new Map<string, Alarm>();
  for (const windowHours of options.windowsHours) {
    const from = now - windowHours * HOUR_MS;
    // Each pair's tickets in [from, now] are one range of its group; a series adds up the ranges of its pairs.
    const inWindow = new Map<string, { series: HotspotSeries; ranges: { order: number[]; lo: number; hi: number }[]; count: number }>();
    let allInWindow = 0;
    for (const g of groups) {
      const lo = firstAt(tickets, g.order, from);
      const hi = firstAt(tickets, g.order, now, true);
      if (hi === lo) continue;
      allInWindow += hi - lo;
      for (const s of seriesOf(g)) {
        const key = seriesKey(s);
        let entry = inWindow.get(key);
        if (!entry) inWindow.set(key, (entry = { series: s, ranges: [], count: 0 }));
        entry.ranges.push({ order: g.order, lo, hi });
        entry.count += hi - lo;
      }
    }
    let fromHistory: number | undefined;
    for (const [key, { series, ranges, count }] of inWindow) {
      if (count < options.minObserved) continue;
      fromHistory ??= expectedDistrict(history, from, now, tz);
      // The district's level now, when it is above its history (a district-wide rise, a holiday's calls): a series
      // is then measured against its share of what came, its own tickets left out so that its surge cannot hide itself.
      const { shape, rate } = sharePosterior(history, series, nC, nS, options.priorTickets);
      const district = Math.max(fromHistory, (allInWindow - count) / (1 - Math.min(0.9, shape / rate)));
      const expected = (shape / rate) * district;
      const score = Math.min(MAX_SCORE, -logNegBinomialUpperTail(count, shape, rate / (rate + district)) / Math.LN10);
      if (score < threshold || score <= (best.get(key)?.score ?? -Infinity)) continue;
      const its = ranges.flatMap((r) => r.order.slice(r.lo, r.hi));
      if (ranges.length > 1) its.sort(byTimeIn(tickets));
      best.set(key, {
        ...series,
        key,
        windowHours,
        start: tickets[its[0]!]!.at,
        observed: count,
        expected: Math.round(expected * 100) / 100,
        score: Math.round(score * 100) / 100,
        level: levelOf(score, threshold),
        ticketIds: its.map((i) => tickets[i]!.id),
      });
    }
  }
  const alarms = [...best.values()];
  const pairs = alarms.filter((a) => a.category !== undefined && a.street !== undefined);
  const explained = (a: Alarm) =>
    (a.category === undefined || a.street === undefined) &&
    pairs.some((p) => (a.category === undefined ? p.street === a.street : p.category === a.category));
  return { alarms: alarms.filter((a) => !explained(a)).sort((a, b) => a.key.localeCompare(b.key)), threshold, seriesCount };
}

/** History days the detector reads, and the gap before the window: the last 12 weeks ending 3 days before `today`. */
export const HISTORY_DAYS = 84;
export const HISTORY_GAP_DAYS = 3;

/** Builds a DetectorHistory from per-day counts (the hotline buckets of the history days, oldest first). */
export function buildHistory(
  days: readonly { day: string; hours: readonly number[]; series: ReadonlyMap<string, number> }[],
  categoriesOf: (key: string) => { category?: string; street?: string },
): DetectorHistory {
  const sums = Array.from({ length: 7 }, () => Array<number>(24).fill(0));
  const weekdays = Array<number>(7).fill(0);
  const dayTotals = days.map((d) => d.hours.reduce((a, b) => a + b, 0));
  const total = dayTotals.reduce((a, b) => a + b, 0);
  const series = new Map<string, { count: number; exposure: number }>();
  const categories = new Set<string>();
  const streets = new Set<string>();
  let before = 0; // district tickets of the days before this one
  days.forEach((d, i) => {
    const wd = weekdayOf(d.day);
    weekdays[wd]! += 1;
    d.hours.forEach((n, h) => (sums[wd]![h]! += n));
    for (const [key, n] of d.series) {
      let s = series.get(key);
      if (!s) series.set(key, (s = { count: 0, exposure: total > 0 ? (total - before) / total : 0 }));
      s.count += n;
      const { category, street } = categoriesOf(key);
      if (category !== undefined) categories.add(category);
      if (street !== undefined) streets.add(street);
    }
    before += dayTotals[i]!;
  });
  // A pair is observable since its category and its street both were.
  for (const [key, s] of series) {
    const { category, street } = categoriesOf(key);
    if (category === undefined || street === undefined) continue;
    const c = series.get(seriesKey({ category }))?.exposure ?? 0;
    const st = series.get(seriesKey({ street }))?.exposure ?? 0;
    s.exposure = Math.max(s.exposure, Math.min(c, st));
  }
  const hourProfile = sums.map((row, wd) => row.map((n) => (weekdays[wd]! > 0 ? n / weekdays[wd]! : 0)));
  return { hourProfile, total, series, categories, streets };
}
