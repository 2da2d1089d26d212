/**
 * `npm run bench -- hotspots` — the 未诉先办 detector's backtest (docs/ARCHITECTURE.md "Hotspots"): the pure
 * detector (core/analytics/hotspot-detector.ts) and its lifecycle run hour by hour over generated hotline years
 * (scripts/simulator, scale 1: the 2022 report's 3,037 tickets), from the day its 12-week history is complete
 * to 31 December. Years without surges give the false hotspots a month; years with injected surges (12 tickets of
 * one category in one street within 48, 24 or 12 hours) give the recall and the delay from the surge's start
 * to the raise (rounded up to the hour: the backtest evaluates hourly, the worker after every batch).
 *
 *   node bench/hotspot-backtest.ts [--seeds 6]
 */
import { parseCli } from '../core/platform/cli.ts';
import { buildHistory, detect, HISTORY_DAYS, HISTORY_GAP_DAYS, type RecentTicket } from '../core/analytics/hotspot-detector.ts';
import { reconcile } from '../core/analytics/hotspot-lifecycle.ts';
import { parseSeriesKey, seriesKey, type StoredHotspot } from '../core/analytics/hotspot-store.ts';
import { createContext } from '../scripts/simulator/context.ts';
import { generateHotline } from '../scripts/simulator/hotline.ts';
import { Rng } from '../scripts/simulator/random.ts';
import { randomSurge, surgeTickets, type Surge } from '../scripts/simulator/surges.ts';
import { UTC_OFFSET_MS, wallMs } from '../scripts/simulator/calendar.ts';
import { addDays, dayStartUtc, localDayHour } from '../shared/time.ts';
import { fmt, writeSection } from './results.ts';

const TZ = 'Asia/Shanghai';
const HOUR_MS = 3_600_000;
const YEAR = 2022;
const LENGTHS = [48, 24, 12];
const SURGES_PER_YEAR = 12;

const { values } = parseCli({
  command: 'node bench/hotspot-backtest.ts',
  usage:
    'usage: node bench/hotspot-backtest.ts [--seeds N]\n\nSeeds per kind of year (default 6): N years without surges, N with 12 surges each.',
  options: { seeds: { type: 'string', default: '6' } },
});
const SEEDS = Number(values.seeds);

/** The year's tickets as Pulse indexes them: signed time, category (from whichever milestone has it), street. */
function yearTickets(seed: number, surges: readonly Surge[]): RecentTicket[] {
  const ctx = createContext(YEAR, seed, 1);
  const extra = surges.flatMap((s) => surgeTickets(ctx.rng(`hotline.surge.${s.startMs}`), s));
  const byId = new Map<string, { at?: number; category?: string; street?: string }>();
  for (const r of generateHotline(ctx, extra).records) {
    const id = String(r.ticketId);
    const t = byId.get(id) ?? {};
    if (typeof r.category === 'string') t.category = r.category;
    if (r.type === 'signed' || r.type === '签收') {
      const text = String(r.at);
      t.at = Date.parse(/[+-]\d{2}:\d{2}$|Z$/.test(text) ? text : `${text}+08:00`);
      if (typeof r.street === 'string') t.street = r.street;
    }
    byId.set(id, t);
  }
  return [...byId]
    .filter(([, t]) => t.at !== undefined)
    .map(([id, t]) => ({ id, at: t.at!, ...(t.category && { category: t.category }), ...(t.street && { street: t.street }) }))
    .sort((a, b) => a.at - b.at);
}

/** Runs the detector hourly over a year; returns the hotspots raised. */
function runYear(tickets: readonly RecentTicket[]): { raised: StoredHotspot[]; months: number } {
  const first = `${YEAR}-01-01`;
  const days = Array.from({ length: 365 }, (_, i) => addDays(first, i));
  const perDay = days.map((day) => ({ day, hours: Array<number>(24).fill(0), series: new Map<string, number>() }));
  for (const t of tickets) {
    const { day, hour } = localDayHour(t.at, TZ);
    const entry = perDay[days.indexOf(day)];
    if (!entry) continue;
    entry.hours[hour]! += 1;
    const series = [
      ...(t.category !== undefined && t.street !== undefined ? [{ category: t.category, street: t.street }] : []),
      ...(t.category !== undefined ? [{ category: t.category }] : []),
      ...(t.street !== undefined ? [{ street: t.street }] : []),
    ];
    for (const s of series) {
      const key = seriesKey(s);
      entry.series.set(key, (entry.series.get(key) ?? 0) + 1);
    }
  }
  const state = { active: [] as StoredHotspot[], latestBySeries: new Map<string, StoredHotspot>() };
  const raised: StoredHotspot[] = [];
  const firstEval = HISTORY_DAYS + HISTORY_GAP_DAYS - 1;
  let lo = 0;
  let hi = 0;
  for (let d = firstEval; d < days.length; d++) {
    const history = buildHistory(perDay.slice(d - HISTORY_DAYS - HISTORY_GAP_DAYS + 1, d - HISTORY_GAP_DAYS + 1), parseSeriesKey);
    const dayStart = dayStartUtc(days[d]!, TZ);
    for (let h = 1; h <= 24; h++) {
      const now = dayStart + h * HOUR_MS;
      while (hi < tickets.length && tickets[hi]!.at <= now) hi++;
      while (lo < hi && tickets[lo]!.at <= now - 48 * HOUR_MS) lo++;
      const { alarms } = detect(history, tickets.slice(lo, hi), now, TZ);
      const result = reconcile(state, alarms, now);
      raised.push(...result.raised);
      for (const c of result.changed) {
        state.latestBySeries.set(seriesKey(c), c);
        state.active = [...state.active.filter((a) => a.id !== c.id), ...(c.end === null ? [c] : [])];
      }
    }
  }
  return { raised, months: (days.length - firstEval) / (365 / 12) };
}

const percentile = (sorted: number[], p: number) =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

// Years without a surge: every hotspot raised is a false one.
let falseQuiet = 0;
let monthsQuiet = 0;
for (let seed = 1; seed <= SEEDS; seed++) {
  const { raised, months } = runYear(yearTickets(seed, []));
  falseQuiet += raised.length;
  monthsQuiet += months;
  console.log(`quiet year seed ${seed}: ${raised.length} hotspot(s) in ${fmt(months, 1)} months`);
}

// Years with surges: 12 a year from mid-April, three weeks apart, lengths in turn.
const bySize = new Map<number, { raised: number; total: number; delays: number[] }>(
  LENGTHS.map((l) => [l, { raised: 0, total: 0, delays: [] }]),
);
let falseSurgeYears = 0;
let monthsSurge = 0;
for (let seed = 101; seed < 101 + SEEDS; seed++) {
  const rng = Rng.for(seed, 'backtest-surges');
  const surges = Array.from({ length: SURGES_PER_YEAR }, (_, i) =>
    randomSurge(
      rng,
      wallMs(YEAR, 4, 15) + (i * 21 + rng.int(0, 5)) * 24 * HOUR_MS + rng.int(0, 23) * HOUR_MS,
      12,
      LENGTHS[i % LENGTHS.length]!,
    ),
  );
  const { raised, months } = runYear(yearTickets(seed, surges));
  const matched = new Set<StoredHotspot>();
  for (const s of surges) {
    const start = s.startMs - UTC_OFFSET_MS;
    const hit = raised.find(
      (h) =>
        Date.parse(h.raisedAt) >= start &&
        Date.parse(h.raisedAt) <= start + (s.hours + 48) * HOUR_MS &&
        (h.category === undefined || h.category === s.category) &&
        (h.street === undefined || h.street === s.street),
    );
    const row = bySize.get(s.hours)!;
    row.total++;
    if (hit) {
      matched.add(hit);
      row.raised++;
      row.delays.push((Date.parse(hit.raisedAt) - start) / HOUR_MS);
    }
  }
  falseSurgeYears += raised.filter((h) => !matched.has(h)).length;
  monthsSurge += months;
  console.log(`surge year seed ${seed}: ${matched.size}/${surges.length} surges raised, ${raised.length - matched.size} other hotspot(s)`);
}

const rows = LENGTHS.map((l) => {
  const r = bySize.get(l)!;
  const delays = [...r.delays].sort((a, b) => a - b);
  return `| 12 tickets within ${l} h | ${r.raised} / ${r.total} (${fmt((100 * r.raised) / r.total, 0)} %) | ${fmt(percentile(delays, 0.5), 0)} h | ${fmt(percentile(delays, 0.9), 0)} h |`;
});
writeSection(
  'Hotspot backtest',
  [
    `The pure detector and its lifecycle, evaluated every hour over generated hotline years (scale 1: ~3,040 tickets a year, 12 categories × 13 streets = 181 series), from the day its 12-week history is complete (28 March) to 31 December. Threshold: Bonferroni for ≤ 1 false hotspot a month (${'`scoreThreshold`'}), at least 5 tickets in the window. Delays are from the surge's first possible ticket to the raise, rounded up to the hour. Seeds 1–${SEEDS} (no surge) and 101–${100 + SEEDS} (12 surges each). No time is measured here, so a shared machine does not change these figures.`,
    '',
    '| surge | raised | delay median | delay p90 |',
    '|---|---|---|---|',
    ...rows,
    '',
    `False hotspots: **${fmt(falseQuiet / monthsQuiet, 2)} a month** on ${SEEDS} years without surges (${falseQuiet} in ${fmt(monthsQuiet, 0)} months); ${fmt(falseSurgeYears / monthsSurge, 2)} a month besides the surges on the ${SEEDS} years with them.`,
  ].join('\n'),
);
console.log(rows.join('\n'));
console.log(`false: ${fmt(falseQuiet / monthsQuiet, 2)} a month (quiet years), ${fmt(falseSurgeYears / monthsSurge, 2)} (surge years)`);
