import type { SeriesResponse } from '@shared/api-types.ts';
import {
  baseOption,
  bucketLabel,
  hallMonthlyData,
  hallMonthlyOption,
  hotlineMonthlyData,
  hotlineMonthlyOption,
  onlineYoyData,
  onlineYoyOption,
  percentOrNull,
  type ChartLocale,
  type ChartOption,
} from '@shared/charts/index.ts';
import type { FeedName } from '@shared/feeds/feed.ts';
import { kpiDefinition, isPercent } from '../../kpi-format.ts';

/**
 * The trend chart of a feed page: the report's charts (shared/charts, the same options the export
 * renders) where there is one, else the page's trend KPIs as bars (counts) and a line (rates, %).
 */
export function feedTrendOption(feed: FeedName, series: SeriesResponse, ids: readonly string[], locale: ChartLocale): ChartOption {
  if (feed === 'hotline') return hotlineMonthlyOption(hotlineMonthlyData(series), locale);
  if (feed === 'online') return onlineYoyOption(onlineYoyData(series), locale);
  if (feed === 'hall') return hallMonthlyOption(hallMonthlyData(series), locale);
  const interval = series.interval === 'month' ? 'month' : 'day';
  const name = (id: string) => (locale === 'en' ? kpiDefinition(id).nameEn : kpiDefinition(id).nameZh);
  return {
    ...baseOption(
      series.buckets.map((b) => bucketLabel(b, interval, locale)),
      false,
    ),
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, splitLine: { show: false }, axisLabel: { formatter: '{value}%' } },
    ],
    series: ids.map((id) => {
      const values = series.series[id] ?? [];
      return isPercent(kpiDefinition(id))
        ? { id, name: name(id), type: 'line' as const, yAxisIndex: 1, data: values.map((v) => percentOrNull(v.value)) }
        : { id, name: name(id), type: 'bar' as const, data: values.map((v) => v.value ?? 0) };
    }),
  };
}

/** A breakdown as horizontal bars of one KPI, largest first (at most `top` rows). */
export function breakdownBarOption(
  rows: { key: string; value: number | null }[],
  kpiId: string,
  locale: ChartLocale,
  top = 15,
): ChartOption {
  const def = kpiDefinition(kpiId);
  const percent = isPercent(def);
  const shown = rows
    .filter((r) => r.value !== null)
    .slice(0, top)
    .reverse();
  return {
    animation: true,
    color: ['#409eff'],
    grid: { left: 180, right: 48, top: 28, bottom: 24 },
    tooltip: { trigger: 'axis' },
    legend: { show: false },
    xAxis: { type: 'value', ...(percent ? { max: 100, axisLabel: { formatter: '{value}%' } } : { minInterval: 1 }) },
    yAxis: { type: 'category', data: shown.map((r) => r.key), axisLabel: { width: 168, overflow: 'truncate' } },
    series: [
      {
        id: 'breakdown',
        name: locale === 'en' ? def.nameEn : def.nameZh,
        type: 'bar',
        barMaxWidth: 18,
        data: shown.map((r) => (percent ? percentOrNull(r.value) : r.value)),
        label: { show: true, position: 'right', formatter: percent ? '{c}%' : '{c}' },
      },
    ],
  };
}
