import type { FeedName } from '../../shared/feeds/feed.ts';
import { computeKpis, KPI_DEFINITIONS, type Fields, type KpiDefinition } from '../../shared/kpis.ts';
import type { Settings } from '../../shared/settings.ts';
import type { Target } from '../../shared/console-types.ts';
import { daysInRange, type LocalDay } from '../../shared/time.ts';
import { isWorkingDay, type WorkingCalendar } from '../../shared/calendar/working-days.ts';
import type { ProjectedKpi, ProjectionBasis, ProjectionStatus } from '../../shared/projection-types.ts';
import { observedBlocks, projectSeries, rateInterval, Z80, type SeriesProjection, type YearDays } from './pace.ts';

/**
 * 预计全年 for every count and rate of KPIS.md with a yearly meaning, from day totals alone (no Redis): the
 * projection service reads the buckets, bench/projection-backtest.ts builds them from generated years.
 * Each KPI is computed day by day with its one definition (shared/kpis.ts); a count's daily values, or a
 * rate's daily numerator and denominator, are projected by core/projection/pace.ts.
 */

/** Counts read from reference data or live sets (no daily history), and figures against last year: not projected. */
const NOT_PROJECTED: ReadonlySet<string> = new Set(['crossRegion.partners', 'crossRegion.items', 'hotline.supervised']);

/** The KPIs 预计全年 covers: counts and rates (cohort rates too) with a yearly meaning. */
export const PROJECTED_KPIS: readonly KpiDefinition[] = KPI_DEFINITIONS.filter(
  (k) => (k.kind === 'count' || k.kind === 'rate' || k.kind === 'cohortRate') && !k.needsPreviousYear && !NOT_PROJECTED.has(k.id),
);

export interface ProjectionInput {
  year: number;
  /** The cut-off: data after it is not given (and would be ignored). */
  asOf: LocalDay;
  /** Per feed, day totals of the year from 1 January up to min(asOf, 31 December), and of the whole previous year (null: Pulse holds none). */
  feeds: Partial<Record<FeedName, { current: readonly Fields[]; previous: readonly Fields[] | null }>>;
  calendar: WorkingCalendar;
  settings: Settings;
  /** The year's targets (年度指标值), or null. */
  targets: Record<string, Target> | null;
}

/** Working flags and months of a year's days. */
export function yearDays(year: number, calendar: WorkingCalendar): YearDays {
  const days = daysInRange(`${year}-01-01`, `${year}-12-31`);
  return { working: days.map((d) => isWorkingDay(d, calendar)), month: days.map((d) => Number(d.slice(5, 7))) };
}

/** On track when the whole interval meets the target, off track when the whole interval misses it. */
export function statusAgainst(low: number, high: number, target: Target): ProjectionStatus {
  const meets = (x: number) => (target.direction === '>=' ? x >= target.target : x <= target.target);
  const worst = target.direction === '>=' ? low : high;
  const best = target.direction === '>=' ? high : low;
  if (meets(worst)) return 'on_track';
  if (!meets(best)) return 'off_track';
  return 'at_risk';
}

/** Daily components of one feed's KPIs: id → per day [value] (count) or [numerator, denominator] (rate). */
function dailyComponents(feed: FeedName, days: readonly Fields[], settings: Settings): Map<string, [number[], number[]]> {
  const out = new Map<string, [number[], number[]]>();
  const ids = PROJECTED_KPIS.filter((k) => k.feed === feed);
  for (const k of ids) out.set(k.id, [[], []]);
  for (const fields of days) {
    const active = Object.keys(fields).some((f) => f !== '_days.active') ? 1 : 0;
    const kpis = computeKpis({ [feed]: { ...fields, '_days.active': active } }, settings);
    for (const k of ids) {
      const v = kpis[k.id]!;
      const [a, b] = out.get(k.id)!;
      if (k.kind === 'count') a.push(v.value ?? 0);
      else {
        a.push(v.numerator ?? 0);
        b.push(v.denominator ?? 0);
      }
    }
  }
  return out;
}

/** Projects every covered KPI of the feeds given (see the module comment). */
export function projectKpis(input: ProjectionInput): Record<string, ProjectedKpi> {
  const { year, asOf, calendar, settings, targets } = input;
  const days = yearDays(year, calendar);
  const previousDays = yearDays(year - 1, calendar);
  const yearStart = `${year}-01-01`;
  const out: Record<string, ProjectedKpi> = {};
  for (const [feed, data] of Object.entries(input.feeds) as [FeedName, NonNullable<ProjectionInput['feeds'][FeedName]>][]) {
    const seen = asOf < yearStart ? 0 : Math.min(data.current.length, days.working.length);
    const current = data.current.slice(0, seen);
    const hasData = current.some((f) => Object.keys(f).length > 0);
    const previous = data.previous && data.previous.some((f) => Object.keys(f).length > 0) ? data.previous : null;
    const cur = dailyComponents(feed, current, settings);
    const prev = previous ? dailyComponents(feed, previous, settings) : null;
    const blocks = observedBlocks(seen, days);
    for (const k of PROJECTED_KPIS.filter((d) => d.feed === feed)) {
      const basis: ProjectionBasis = {
        daysObserved: seen,
        daysLeft: days.working.length - seen,
        previousYearProfile: false,
        calendar: false,
        method: seen >= days.working.length ? 'actual' : 'pace',
      };
      if (asOf < yearStart || !hasData) {
        out[k.id] = withStatus(
          k.id,
          { value: null, low: null, high: null, basis: { ...basis, method: 'none', reason: asOf < yearStart ? 'before_year' : 'no_data' } },
          targets,
        );
        continue;
      }
      const [a, b] = cur.get(k.id)!;
      const series = (now: number[], before: number[] | undefined) =>
        projectSeries({ current: now, days, previous: before ?? null, previousDays: before ? previousDays : null });
      let projected: ProjectedKpi;
      let fit: SeriesProjection;
      if (k.kind === 'count') {
        fit = series(a, prev?.get(k.id)![0]);
        const sd = Math.sqrt(fit.variance);
        projected =
          fit.total === null
            ? { value: null, low: null, high: null, basis }
            : {
                value: Math.round(fit.total),
                low: Math.max(fit.observed, Math.floor(fit.total - Z80 * sd)),
                high: Math.ceil(fit.total + Z80 * sd),
                basis,
              };
      } else {
        const numerator = series(a, prev?.get(k.id)![0]);
        fit = series(b, prev?.get(k.id)![1]);
        const sums = blocks.map((block) => ({
          numerator: block.reduce((s, d) => s + a[d]!, 0),
          denominator: block.reduce((s, d) => s + b[d]!, 0),
        }));
        projected = { ...rateInterval(numerator, fit, sums), basis };
      }
      basis.previousYearProfile = fit.previousYearProfile;
      basis.calendar = fit.followsCalendar;
      out[k.id] = withStatus(k.id, projected, targets);
    }
  }
  return out;
}

function withStatus(id: string, kpi: ProjectedKpi, targets: Record<string, Target> | null): ProjectedKpi {
  const t = targets?.[id];
  if (!t) return kpi;
  const out: ProjectedKpi = { ...kpi, target: t.target };
  if (kpi.low !== null && kpi.high !== null) out.status = statusAgainst(kpi.low, kpi.high, t);
  return out;
}
