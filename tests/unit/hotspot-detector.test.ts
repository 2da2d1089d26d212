import { describe, expect, it } from 'vitest';
import { buildHistory, detect, MAX_SCORE, scoreThreshold, type RecentTicket } from '../../core/analytics/hotspot-detector.ts';
import { reconcile, EXTEND_WITHIN_MS } from '../../core/analytics/hotspot-lifecycle.ts';
import { parseSeriesKey, seriesKey, type StoredHotspot } from '../../core/analytics/hotspot-store.ts';
import { logNegBinomialUpperTail, logPoissonUpperTail } from '../../core/analytics/tail.ts';
import { addDays, dayStartUtc } from '../../shared/time.ts';

const TZ = 'Asia/Shanghai';
const HOUR_MS = 3_600_000;
const CATEGORIES = ['城市管理', '市场监管', '物业管理'];
const STREETS = ['文艺路街道', '朝阳街道', '火星街道', '东湖街道'];
/** Tickets a day of each pair: busy 城市管理, quiet 物业管理 (a few a month). */
const PAIR_RATE: Record<string, number> = { 城市管理: 0.8, 市场监管: 0.4, 物业管理: 0.1 };

/** A seeded generator (mulberry32), so the tests see the same tickets on every run. */
function rng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
function poisson(random: () => number, lambda: number): number {
  const limit = Math.exp(-lambda);
  let k = 0;
  for (let p = random(); p > limit; p *= random()) k++;
  return k;
}
/** Daytime hours weigh more, as at the hotline. */
const HOUR_WEIGHT = Array.from({ length: 24 }, (_, h) => (h >= 8 && h < 20 ? 3 : 0.5));
const HOUR_TOTAL = HOUR_WEIGHT.reduce((a, b) => a + b, 0);

/** Tickets of `days` days from `firstDay`, each pair at its rate, spread over the hours by HOUR_WEIGHT. */
function generate(firstDay: string, days: number, seed: number): RecentTicket[] {
  const random = rng(seed);
  const out: RecentTicket[] = [];
  for (let d = 0; d < days; d++) {
    const start = dayStartUtc(addDays(firstDay, d), TZ);
    for (const category of CATEGORIES)
      for (const street of STREETS)
        for (let h = 0; h < 24; h++) {
          const n = poisson(random, (PAIR_RATE[category]! * HOUR_WEIGHT[h]!) / HOUR_TOTAL);
          for (let i = 0; i < n; i++)
            out.push({ id: `T${out.length}`, at: start + h * HOUR_MS + Math.floor(random() * HOUR_MS), category, street });
        }
  }
  return out;
}

/** The history the runner would read from the buckets of those tickets' days. */
function historyOf(tickets: readonly RecentTicket[], firstDay: string, days: number) {
  const perDay = Array.from({ length: days }, (_, d) => ({
    day: addDays(firstDay, d),
    hours: Array<number>(24).fill(0),
    series: new Map<string, number>(),
  }));
  const first = dayStartUtc(firstDay, TZ);
  for (const t of tickets) {
    const d = Math.floor((t.at - first) / (24 * HOUR_MS));
    const entry = perDay[d]!;
    entry.hours[Math.floor((t.at - dayStartUtc(entry.day, TZ)) / HOUR_MS)]! += 1;
    for (const s of [{ category: t.category, street: t.street }, { category: t.category }, { street: t.street }]) {
      const key = seriesKey(s);
      entry.series.set(key, (entry.series.get(key) ?? 0) + 1);
    }
  }
  return buildHistory(perDay, parseSeriesKey);
}

const HISTORY_FIRST = '2026-01-01';
const history = historyOf(generate(HISTORY_FIRST, 84, 1), HISTORY_FIRST, 84);
/** The evaluation starts three days after the history, as in the runner. */
const EVAL_DAY = addDays(HISTORY_FIRST, 87);

describe('the hotspot detector', () => {
  it('states its threshold: Bonferroni over series × windows × hourly evaluations a day for one false hotspot a month', () => {
    // 3 × 4 pairs + 3 + 4 series, two windows, 24 evaluations a day: p < (1/30) / (19 × 2 × 24).
    expect(scoreThreshold(19)).toBeCloseTo(-Math.log10(1 / 30 / (19 * 2 * 24)), 10);
  });

  it('raises a dozen tickets of a quiet (category, street) within a day, as the pair alone', () => {
    const now = dayStartUtc(EVAL_DAY, TZ) + 20 * HOUR_MS;
    const surge: RecentTicket[] = Array.from({ length: 12 }, (_, i) => ({
      id: `S${i}`,
      at: now - 10 * HOUR_MS + i * 40 * 60_000,
      category: '物业管理',
      street: '火星街道',
    }));
    const { alarms, threshold } = detect(history, surge, now, TZ);
    expect(alarms).toHaveLength(1); // the category and the street are explained by the pair
    const [alarm] = alarms;
    expect(alarm).toMatchObject({ category: '物业管理', street: '火星街道', observed: 12, ticketIds: surge.map((t) => t.id) });
    expect(alarm!.expected).toBeLessThan(0.5);
    expect(alarm!.score).toBeGreaterThan(threshold + 4);
    expect(alarm!.level).toBe('红');
    expect(alarm!.start).toBe(surge[0]!.at);
  });

  it('gives a finite score when nothing at all was expected (no history yet), so the API never sends a null score', () => {
    const now = dayStartUtc(EVAL_DAY, TZ) + 20 * HOUR_MS;
    const surge: RecentTicket[] = Array.from({ length: 12 }, (_, i) => ({
      id: `N${i}`,
      at: now - i * 60_000,
      category: '物业管理',
      street: '火星街道',
    }));
    const { alarms } = detect(historyOf([], HISTORY_FIRST, 84), surge, now, TZ);
    expect(alarms.length).toBeGreaterThan(0);
    for (const alarm of alarms) expect(JSON.parse(JSON.stringify(alarm)).score).toBe(MAX_SCORE);
  });

  it('raises nothing over a month of ordinary tickets evaluated every hour', () => {
    const tickets = generate(EVAL_DAY, 30, 2);
    const start = dayStartUtc(EVAL_DAY, TZ) + 48 * HOUR_MS;
    let evaluated = 0;
    let busiest = 0;
    for (let now = start; now < start + 28 * 24 * HOUR_MS; now += HOUR_MS) {
      const recent = tickets.filter((t) => t.at > now - 48 * HOUR_MS && t.at <= now);
      const { alarms } = detect(history, recent, now, TZ);
      expect(alarms).toEqual([]);
      busiest = Math.max(busiest, recent.filter((t) => t.category === '城市管理').length);
      evaluated++;
    }
    expect(evaluated).toBe(672);
    expect(busiest).toBeGreaterThan(8); // the busy category's windows were well past the minimum count: the score held them
  });

  it('raises nothing when the whole district rises alike, and still the one series that rises beyond it', () => {
    const now = dayStartUtc(EVAL_DAY, TZ) + 20 * HOUR_MS;
    // Ten days of ordinary tickets squeezed into the last 24 hours: every series ten times its history.
    const busy = generate(addDays(EVAL_DAY, -10), 10, 7).map((t, i) => ({ ...t, at: now - 1 - (i % (24 * 60)) * 60_000 }));
    expect(detect(history, busy, now, TZ).alarms).toEqual([]);
    const surge = Array.from({ length: 40 }, (_, i) => ({ id: `S${i}`, at: now - i * 60_000, category: '物业管理', street: '东湖街道' }));
    expect(detect(history, [...busy, ...surge], now, TZ).alarms.map((a) => a.key)).toEqual([
      seriesKey({ category: '物业管理', street: '东湖街道' }),
    ]);
  });

  it('does not alarm on a new street by itself', () => {
    const now = dayStartUtc(EVAL_DAY, TZ) + 20 * HOUR_MS;
    const three = ['城市管理', '市场监管', '城市管理'].map((category, i) => ({
      id: `N${i}`,
      at: now - i * HOUR_MS,
      category,
      street: '新开街道',
    }));
    expect(detect(history, three, now, TZ).alarms).toEqual([]);
    // As busy as an average street for two days: still nothing.
    const average = generate(addDays(EVAL_DAY, -2), 3, 5)
      .filter((t) => t.street === '东湖街道')
      .map((t) => ({ ...t, street: '新开街道' }));
    expect(average.filter((t) => t.at > now - 48 * HOUR_MS && t.at <= now).length).toBeGreaterThanOrEqual(3);
    expect(detect(history, average, now, TZ).alarms).toEqual([]);
  });

  it('keeps a hotspot while its window is above the threshold, ends it when it falls back, and extends a re-raise', () => {
    const t0 = dayStartUtc(EVAL_DAY, TZ) + 9 * HOUR_MS;
    const surge: RecentTicket[] = Array.from({ length: 8 }, (_, i) => ({
      id: `S${i}`,
      at: t0 + i * 30 * 60_000,
      category: '物业管理',
      street: '朝阳街道',
    }));
    const state = { active: [] as StoredHotspot[], latestBySeries: new Map<string, StoredHotspot>() };
    const step = (now: number) => {
      const { alarms } = detect(history, surge, now, TZ);
      const result = reconcile(state, alarms, now);
      for (const h of result.changed) {
        state.latestBySeries.set(seriesKey(h), h);
        state.active = [...state.active.filter((a) => a.id !== h.id), ...(h.end === null ? [h] : [])];
      }
      return result;
    };
    const raisedAt = t0 + 4 * HOUR_MS;
    const first = step(raisedAt);
    expect(first.raised).toHaveLength(1);
    const id = first.raised[0]!.id;
    expect(step(raisedAt + 20 * HOUR_MS)).toMatchObject({ raised: [], ended: [] });
    // 48 hours after the last ticket the windows hold none of them: it ends.
    const ended = step(t0 + 52 * HOUR_MS);
    expect(ended.ended.map((h) => h.id)).toEqual([id]);
    expect(state.active).toEqual([]);
    // The same series again within a day of the end: the same hotspot, active again.
    const again = t0 + 52 * HOUR_MS + EXTEND_WITHIN_MS / 2;
    surge.push(
      ...Array.from({ length: 8 }, (_, i) => ({ id: `R${i}`, at: again - i * 20 * 60_000, category: '物业管理', street: '朝阳街道' })),
    );
    const reraised = step(again);
    expect(reraised.raised).toEqual([]);
    expect(state.active.map((h) => h.id)).toEqual([id]);
    expect(state.active[0]!.ticketIds).toHaveLength(16);
  });
});

describe('a hotspot’s tickets', () => {
  const now = Date.parse('2026-04-01T04:00:00.000Z');
  const active = (ticketIds: string[]): StoredHotspot => ({
    id: 'hs-1',
    category: '物业管理',
    street: '朝阳街道',
    start: '2026-04-01T00:00:00.000Z',
    end: null,
    raisedAt: '2026-04-01T01:00:00.000Z',
    observed: ticketIds.length,
    expected: 0.4,
    score: 9,
    level: '红',
    ticketIds,
  });
  const alarm = (ticketIds: string[]) => ({
    category: '物业管理',
    street: '朝阳街道',
    key: seriesKey({ category: '物业管理', street: '朝阳街道' }),
    windowHours: 48,
    start: Date.parse('2026-04-01T00:00:00.000Z'),
    observed: ticketIds.length,
    expected: 0.4,
    score: 9,
    level: '红' as const,
    ticketIds,
  });
  const after = (soFar: string[], window: string[]) => {
    const h = active(soFar);
    return reconcile({ active: [h], latestBySeries: new Map([[seriesKey(h), h]]) }, [alarm(window)], now);
  };

  it('accumulate: the window’s new ones after those so far, the ones that left the window kept', () => {
    expect(after(['A', 'B'], ['A', 'B', 'C', 'D']).changed[0]!.ticketIds).toEqual(['A', 'B', 'C', 'D']);
    // The window slid past A and B meanwhile, and brought E.
    expect(after(['A', 'B', 'C'], ['C', 'E']).changed[0]!.ticketIds).toEqual(['A', 'B', 'C', 'E']);
    expect(after(['A', 'B', 'C'], ['B', 'A', 'F']).changed[0]!.ticketIds).toEqual(['A', 'B', 'C', 'F']);
  });

  it('change nothing when the window brings no new ticket and the figures stand', () => {
    // Same window: no write, no message to the walls.
    expect(after(['A', 'B'], ['A', 'B'])).toMatchObject({ changed: [], activeChanged: false });
    // Fewer in the window (two left it): the count falls, the tickets stay.
    const fewer = after(['A', 'B', 'C'], ['C']);
    expect(fewer.changed[0]).toMatchObject({ observed: 1, ticketIds: ['A', 'B', 'C'] });
  });
});

describe('tail probabilities', () => {
  it('match the Poisson sums they stand for, far into the tail', () => {
    // P(X ≥ 3 | λ = 0.5) = 1 − e^−0.5 (1 + 0.5 + 0.125)
    expect(Math.exp(logPoissonUpperTail(3, 0.5))).toBeCloseTo(1 - Math.exp(-0.5) * 1.625, 12);
    // P(X ≥ 20 | λ = 0.1) ≈ 0.1^20 e^−0.1 / 20! (the next terms add 0.5 %)
    const log10 = logPoissonUpperTail(20, 0.1) / Math.LN10;
    expect(log10).toBeCloseTo(-20 - 0.1 / Math.LN10 - Math.log10(2_432_902_008_176_640_000) + Math.log10(1.00478), 3);
  });

  it('a negative binomial with a long history is the Poisson; with a thin one its tail is heavier', () => {
    const lambda = 0.4;
    const r = 1e6;
    expect(logNegBinomialUpperTail(6, r, r / (r + lambda))).toBeCloseTo(logPoissonUpperTail(6, lambda), 4);
    expect(logNegBinomialUpperTail(6, 1, 1 / (1 + lambda))).toBeGreaterThan(logPoissonUpperTail(6, lambda) + 3);
  });
});
