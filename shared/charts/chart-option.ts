import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import type { GridComponentOption, LegendComponentOption, TooltipComponentOption } from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

/**
 * The option shape every chart of shared/charts returns: bars and lines with grid, legend and tooltip —
 * the parts the console's `useEcharts` registers and the server's SSR renderer registers, nothing more.
 */
export type ChartOption = ComposeOption<
  BarSeriesOption | LineSeriesOption | GridComponentOption | TooltipComponentOption | LegendComponentOption
>;

/** The light console palette (Element Plus primary, success, warning, info). */
export const CHART_COLORS = ['#409eff', '#67c23a', '#e6a23c', '#909399', '#f56c6c'] as const;

/** Locale of the text inside a chart (series names, axis names, month labels). */
export type ChartLocale = 'zh-CN' | 'en';

/** The bucket size of a chart's categories: months for a year, days for a month. */
export type ChartInterval = 'month' | 'day';

/** `YYYY-MM-DD` bucket start of a month → `3月` (zh-CN) or `Mar` (en). */
export function monthLabel(bucketStart: string, locale: ChartLocale = 'zh-CN'): string {
  const month = Number(bucketStart.slice(5, 7));
  if (locale === 'en') return ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][month - 1]!;
  return `${month}月`;
}

/** A bucket start as a category label: `3月` for a month, `5日` (or `5`) for a day. */
export function bucketLabel(bucketStart: string, interval: ChartInterval, locale: ChartLocale = 'zh-CN'): string {
  if (interval === 'month') return monthLabel(bucketStart, locale);
  const day = Number(bucketStart.slice(8, 10));
  return locale === 'en' ? String(day) : `${day}日`;
}

/** A rate fraction as a percent number for a chart axis (0.8702 → 87.02); null stays null (a gap, never 0). */
export function percentOrNull(rate: number | null): number | null {
  return rate === null ? null : Math.round(rate * 10_000) / 100;
}

/** Shared frame of the charts: grid margins, tooltip, legend at the top, no animation when `static`. */
export function baseOption(categories: string[], isStatic: boolean): ChartOption {
  return {
    animation: !isStatic,
    color: [...CHART_COLORS],
    grid: { left: 56, right: 56, top: 56, bottom: 32 },
    tooltip: { trigger: 'axis' },
    legend: { top: 8 },
    xAxis: { type: 'category', data: categories },
  };
}
