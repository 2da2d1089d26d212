/**
 * `npm run bench -- projection`: is 预计全年 honest? Generated years (scripts/simulator/year.ts, with
 * seasonality: each year departs from the usual month profile by its own month factors and trend) for
 * several seeds, each with the year before; every year cut at the last day of each month January–November
 * and projected (core/projection/project-kpis.ts, on day totals built in memory by the feeds' own appliers,
 * bench/projection-day-totals.ts — no Redis) with and without the previous year; each projection compared
 * with the actual year-end figure. Reports per cut-off month: the median absolute percentage error of the
 * counts, the share of actual year-end values inside the 80 % interval (counts and rates), and the interval's
 * median half-width. Writes the section "projection-backtest" of bench/RESULTS.md.
 *
 * PROJECTION_SEEDS (default 4), PROJECTION_SCALE (default 0.25), PROJECTION_SEASONALITY (default 0.15),
 * PROJECTION_YEAR (default 2025, the year projected; the year before is generated too); PROJECTION_CACHE (a folder:
 * keep the generated day totals for the next run), PROJECTION_DETAIL=1 (print the share inside per KPI).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateYear } from '../scripts/simulator/year.ts';
import { projectKpis, PROJECTED_KPIS } from '../core/projection/project-kpis.ts';
import { SHIPPED_CALENDAR } from '../shared/calendar/working-days.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { dayTotals } from './projection-day-totals.ts';
import { fmt, writeSection } from './results.ts';

const seeds = Number(process.env.PROJECTION_SEEDS ?? 4);
const scale = Number(process.env.PROJECTION_SCALE ?? 0.25);
const seasonality = Number(process.env.PROJECTION_SEASONALITY ?? 0.15);
const YEAR = Number(process.env.PROJECTION_YEAR ?? 2025);
const MONTHS = Array.from({ length: 11 }, (_, m) => m + 1);
const lastDayOf = (month: number) => new Date(Date.UTC(YEAR, month, 0)).toISOString().slice(0, 10);
const KIND = new Map(PROJECTED_KPIS.map((k) => [k.id, k.kind]));

interface Outcome {
  month: number;
  withPrevious: boolean;
  id: string;
  count: boolean;
  /** |projected − actual| / actual, counts with an actual above 0. */
  ape: number | null;
  inside: boolean;
  /** (high − low) / 2 / value: counts; high − low over 2 in points: rates. */
  halfWidth: number | null;
}

const outcomes: Outcome[] = [];
const started = performance.now();
for (let seed = 1; seed <= seeds; seed++) {
  const t = performance.now();
  const current = totalsOf(YEAR, seed);
  const previous = totalsOf(YEAR - 1, seed);
  const project = (asOf: string, withPrevious: boolean) =>
    projectKpis({
      year: YEAR,
      asOf,
      // Only the days up to asOf are given, as the service reads them.
      feeds: Object.fromEntries(
        Object.entries(current).map(([feed, days]) => [
          feed,
          { current: days.slice(0, dayIndex(asOf) + 1), previous: withPrevious ? previous[feed as keyof typeof previous]! : null },
        ]),
      ),
      calendar: SHIPPED_CALENDAR,
      settings: DEFAULT_SETTINGS,
      targets: null,
    });
  const actual = project(`${YEAR}-12-31`, false);
  for (const month of MONTHS) {
    const asOf = lastDayOf(month);
    for (const withPrevious of [false, true]) {
      const kpis = project(asOf, withPrevious);
      for (const [id, p] of Object.entries(kpis)) {
        const a = actual[id]!.value;
        if (a === null || p.value === null || p.low === null || p.high === null) continue;
        const count = KIND.get(id) === 'count';
        outcomes.push({
          month,
          withPrevious,
          id,
          count,
          ape: count && a > 0 ? Math.abs(p.value - a) / a : null,
          inside: a >= p.low - 1e-9 && a <= p.high + 1e-9,
          halfWidth: count ? (p.value > 0 ? (p.high - p.low) / 2 / p.value : null) : (p.high - p.low) / 2,
        });
      }
    }
  }
  console.log(`seed ${seed}: years ${YEAR - 1} and ${YEAR} generated and projected in ${((performance.now() - t) / 1000).toFixed(1)} s`);
}

/** A generated year's day totals; kept under PROJECTION_CACHE (a folder), when set, for the next run. */
function totalsOf(year: number, seed: number): ReturnType<typeof dayTotals> {
  const cache = process.env.PROJECTION_CACHE;
  const file = cache && join(cache, `${year}-${seed}-${scale}-${seasonality}.json`);
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof dayTotals>;
  const totals = dayTotals(generateYear({ year, seed, scale, seasonality }).feeds, year);
  if (file) writeFileSync(file, JSON.stringify(totals));
  return totals;
}

function dayIndex(day: string): number {
  return Math.round((Date.parse(`${day}T00:00:00Z`) - Date.parse(`${YEAR}-01-01T00:00:00Z`)) / 86_400_000);
}
const median = (xs: number[]) => {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const pct = (x: number, digits = 1) => (Number.isNaN(x) ? '—' : `${fmt(100 * x, digits)} %`);
const share = (list: Outcome[]) => list.filter((o) => o.inside).length / list.length;

const rows: string[] = [];
rows.push(
  '| cut-off | counts: median APE, no previous year | with previous year | counts inside 80 % interval | rates inside | counts: median half-width | rates: median half-width (points) |',
);
rows.push('|---|---|---|---|---|---|---|');
for (const month of MONTHS) {
  const at = outcomes.filter((o) => o.month === month);
  const counts = at.filter((o) => o.count);
  const rates = at.filter((o) => !o.count);
  const ape = (withPrevious: boolean) => median(counts.filter((o) => o.withPrevious === withPrevious && o.ape !== null).map((o) => o.ape!));
  rows.push(
    `| ${lastDayOf(month).slice(5)} | ${pct(ape(false))} | ${pct(ape(true))} | ${pct(share(counts), 0)} (${counts.length}) | ${pct(share(rates), 0)} (${rates.length}) | ±${pct(median(counts.map((o) => o.halfWidth!).filter((h) => h !== null)))} | ±${fmt(100 * median(rates.map((o) => o.halfWidth!)), 2)} |`,
  );
}
const counts = outcomes.filter((o) => o.count);
const rates = outcomes.filter((o) => !o.count);
const september = counts.filter((o) => o.month === 9 && o.halfWidth !== null).map((o) => o.halfWidth!);
const byVariant = (withPrevious: boolean) => share(outcomes.filter((o) => o.withPrevious === withPrevious));
const seconds = (performance.now() - started) / 1000;
const byKpi = [...new Set(outcomes.map((o) => o.id))]
  .map((id) => ({ id, inside: share(outcomes.filter((o) => o.id === id)) }))
  .sort((a, b) => a.inside - b.inside);
const body = [
  `**Projection backtest** (预计全年, docs/ARCHITECTURE.md "Projection"). ${seeds} seeds × years ${YEAR - 1} and ${YEAR} at scale ${scale}, seasonality ${seasonality} (each year its own month factors and trend), ` +
    `cut at the end of each month Jan–Nov, projected with and without the previous year: ${outcomes.length} projections ` +
    `(${counts.length} counts, ${rates.length} rates) of ${new Set(outcomes.map((o) => o.id)).size} KPIs in ${fmt(seconds, 1)} s` +
    `${process.env.PROJECTION_CACHE ? ' (day totals of the generated years read from PROJECTION_CACHE)' : ''} on a machine shared with other sessions.`,
  '',
  ...rows,
  '',
  `- inside the 80 % interval overall: ${pct(share(outcomes))} (counts ${pct(share(counts))}, rates ${pct(share(rates))}; ` +
    `without the previous year ${pct(byVariant(false))}, with it ${pct(byVariant(true))}) — aim 70–90 %`,
  `- counts' interval at the end of September: median half-width ±${pct(median(september))} of the value — must be well under ±50 %`,
  `- counts' median absolute percentage error over all cut-offs: ${pct(median(counts.filter((o) => o.ape !== null).map((o) => o.ape!)))}`,
  `- weakest KPIs (share inside): ${byKpi
    .slice(0, 4)
    .map((k) => `${k.id} ${pct(k.inside, 0)}`)
    .join(', ')}; widest (over-cautious): ${byKpi
    .slice(-3)
    .map((k) => `${k.id} ${pct(k.inside, 0)}`)
    .join(', ')}`,
];
console.log(body.join('\n'));
if (process.env.PROJECTION_DETAIL) {
  for (const id of new Set(outcomes.map((o) => o.id))) {
    const of = outcomes.filter((o) => o.id === id);
    console.log(
      `${id.padEnd(36)} inside ${pct(share(of), 0).padStart(6)}  median half-width ${fmt(100 * median(of.map((o) => o.halfWidth ?? 0)), 2)}`,
    );
  }
}
writeSection('projection-backtest', body.join('\n'));
