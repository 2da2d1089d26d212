import type { SeriesResponse } from '../api-types.ts';
import type { ChartInterval } from './chart-option.ts';
import type { CrossRegionByPartnerData, HallMonthlyData, HotlineMonthlyData, OnlineYoyData } from './monthly-charts.ts';

/**
 * Chart data from the KPI API's answers (`GET /api/kpis/series?interval=month`, `GET /api/kpis?groupBy=…`),
 * so the console and the export turn the same served numbers into the same charts. A bucket missing from
 * the series reads as 0 for counts and null for rates.
 */

/** The KPI ids the bucket charts read, all from one series request (interval month, or day). */
export const MONTHLY_CHART_KPI_IDS = [
  'hotline.signed',
  'hotline.completed',
  'hotline.satisfactionRate',
  'online.volume',
  'online.yoyMultiple',
  'hall.servedMatters',
] as const;

/** Buckets and interval of a monthly (or daily) series; any other interval is drawn as days. */
const frame = (s: SeriesResponse): { buckets: string[]; interval: ChartInterval } => ({
  buckets: s.buckets,
  interval: s.interval === 'month' ? 'month' : 'day',
});

const countsOf = (s: SeriesResponse, id: string): number[] => s.buckets.map((_, i) => s.series[id]?.[i]?.value ?? 0);
const ratesOf = (s: SeriesResponse, id: string): (number | null)[] => s.buckets.map((_, i) => s.series[id]?.[i]?.value ?? null);

/** Hotline chart data from a monthly series holding hotline.signed, .completed, .satisfactionRate. */
export function hotlineMonthlyData(s: SeriesResponse): HotlineMonthlyData {
  return {
    ...frame(s),
    signed: countsOf(s, 'hotline.signed'),
    completed: countsOf(s, 'hotline.completed'),
    satisfactionRate: ratesOf(s, 'hotline.satisfactionRate'),
  };
}

/**
 * 一网通办 chart data from a monthly series holding online.volume and online.yoyMultiple: last year's
 * volume is the multiple's denominator (null when the series has none).
 */
export function onlineYoyData(s: SeriesResponse): OnlineYoyData {
  return {
    ...frame(s),
    thisYear: countsOf(s, 'online.volume'),
    lastYear: s.buckets.map((_, i) => s.series['online.yoyMultiple']?.[i]?.denominator ?? null),
  };
}

/** Hall chart data from a monthly series holding hall.servedMatters. */
export function hallMonthlyData(s: SeriesResponse): HallMonthlyData {
  return { ...frame(s), servedMatters: countsOf(s, 'hall.servedMatters') };
}

/** Cross-region chart data from `getKpis(from, to, 'partnerRegion')` groups, largest partner first. */
export function crossRegionByPartnerData(
  groups: { key: string; kpis: Record<string, { value: number | null }> }[],
): CrossRegionByPartnerData {
  const rows = groups
    .map((g) => ({
      partner: g.key,
      received: g.kpis['crossRegion.received']?.value ?? 0,
      completed: g.kpis['crossRegion.completed']?.value ?? 0,
    }))
    .filter((r) => r.received > 0 || r.completed > 0)
    .sort((a, b) => b.received - a.received || a.partner.localeCompare(b.partner, 'zh-CN'));
  return { partners: rows.map((r) => r.partner), received: rows.map((r) => r.received), completed: rows.map((r) => r.completed) };
}
