import type { Hotspot } from '@shared/analytics/hotspots.ts';
import type { ChartOption } from '../../composables/useEcharts.ts';
import { expectedByDay } from '../../hotspot-view.ts';
import { reportDayOf } from '../../time-format.ts';
import { addDays } from './period.ts';

/** The breakdown that holds a hotspot's tickets: street within a category (the hotline's drill path), or one dimension alone. */
export function trendQuery(hotspot: Pick<Hotspot, 'category' | 'street'>): { groupBy: string; where: [string, string][]; key: string } {
  if (hotspot.category !== undefined && hotspot.street !== undefined) {
    return { groupBy: 'street', where: [['category', hotspot.category]], key: hotspot.street };
  }
  if (hotspot.category !== undefined) return { groupBy: 'category', where: [], key: hotspot.category };
  return { groupBy: 'street', where: [], key: hotspot.street ?? '' };
}

/** How many days a hotspot's trend shows: the weeks before its window, and the window itself. */
export const TREND_DAYS = 21;

/** The trend's local days: TREND_DAYS ending on the hotspot's last day (its end, or today while active). */
export function trendDays(hotspot: Pick<Hotspot, 'end'>, now: Date): string[] {
  const last = reportDayOf(hotspot.end === null ? now : new Date(hotspot.end));
  return Array.from({ length: TREND_DAYS }, (_, i) => addDays(last, i - TREND_DAYS + 1));
}

export interface TrendLabels {
  daily: string;
  expected: string;
}

/**
 * The trend chart: signed tickets per day as bars (the days of the hotspot's window in orange), and the
 * hotspot's expectation spread over its window's days as a line — absent outside the window, where the
 * detector made no prediction the page could show.
 */
export function trendOption(
  hotspot: Pick<Hotspot, 'start' | 'end' | 'expected'>,
  days: readonly string[],
  counts: readonly number[],
  labels: TrendLabels,
  now: Date,
): ChartOption {
  const expected = expectedByDay(hotspot, now);
  return {
    animation: false,
    grid: { left: 40, right: 16, top: 36, bottom: 28 },
    legend: { top: 0, left: 0, data: [labels.daily, labels.expected] },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'category', data: days.map((d) => d.slice(5)) },
    yAxis: { type: 'value', minInterval: 1 },
    series: [
      {
        id: 'daily',
        name: labels.daily,
        type: 'bar',
        barMaxWidth: 22,
        itemStyle: { color: '#409eff' },
        data: days.map((day, i) => (expected.has(day) ? { value: counts[i] ?? 0, itemStyle: { color: '#e6a23c' } } : (counts[i] ?? 0))),
      },
      {
        id: 'expected',
        name: labels.expected,
        type: 'line',
        symbol: 'circle',
        lineStyle: { type: 'dashed', color: '#606266' },
        itemStyle: { color: '#606266' },
        data: days.map((day) => {
          const value = expected.get(day);
          return value === undefined ? '-' : Math.round(value * 10) / 10;
        }),
      },
    ],
  };
}
