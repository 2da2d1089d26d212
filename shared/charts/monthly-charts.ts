import { baseOption, bucketLabel, percentOrNull, type ChartInterval, type ChartLocale, type ChartOption } from './chart-option.ts';

/**
 * The charts of REPORT.md §3 as pure functions (data, locale) → ECharts option, by month (or by day for
 * a one-month period). The console draws them
 * with `useEcharts`; the export renders the very same options on the server (server/export/charts/).
 * Counts are plain numbers, rates fractions in [0, 1] (drawn as percent); null is a gap, never 0.
 * `isStatic` switches animation off (server rendering, printing).
 */

/** Counts on an axis as the report writes them: 5000, not 5,000. */
const PLAIN_NUMBER = { formatter: (value: number) => String(value) };

/** Hotline figures per bucket (month or day): counts, and satisfaction as a fraction (null: no visits rated). */
export interface HotlineMonthlyData {
  /** Bucket starts `YYYY-MM-DD` (the first day of each month, or each day). */
  buckets: string[];
  interval: ChartInterval;
  signed: number[];
  completed: number[];
  satisfactionRate: (number | null)[];
}

const TEXT = {
  'zh-CN': {
    signed: '签收工单',
    completed: '办结工单',
    satisfaction: '回访满意度',
    tickets: '工单（条）',
    percent: '满意度（%）',
    thisYear: '本年办件量',
    lastYear: '上年同期',
    volume: '办件量（件）',
    served: '接待事项件次',
    matters: '件次',
    received: '受理件数',
    casesCompleted: '办结件数',
    cases: '件数',
  },
  en: {
    signed: 'Tickets signed',
    completed: 'Tickets completed',
    satisfaction: 'Satisfaction',
    tickets: 'Tickets',
    percent: 'Satisfaction (%)',
    thisYear: 'This year',
    lastYear: 'Same period last year',
    volume: 'Volume',
    served: 'Matters handled',
    matters: 'Matters',
    received: 'Cases received',
    casesCompleted: 'Cases completed',
    cases: 'Cases',
  },
} as const;

/** 12345 一呼即应 by month: signed and completed tickets (bars), satisfaction (line, right axis, %). */
export function hotlineMonthlyOption(data: HotlineMonthlyData, locale: ChartLocale = 'zh-CN', isStatic = false): ChartOption {
  const t = TEXT[locale];
  return {
    ...baseOption(
      data.buckets.map((b) => bucketLabel(b, data.interval, locale)),
      isStatic,
    ),
    yAxis: [
      { type: 'value', name: t.tickets, minInterval: 1, axisLabel: PLAIN_NUMBER },
      { type: 'value', name: t.percent, min: 0, max: 100, splitLine: { show: false } },
    ],
    series: [
      { id: 'signed', name: t.signed, type: 'bar', barMaxWidth: 40, data: data.signed },
      { id: 'completed', name: t.completed, type: 'bar', barMaxWidth: 40, data: data.completed },
      {
        id: 'satisfaction',
        name: t.satisfaction,
        type: 'line',
        yAxisIndex: 1,
        data: data.satisfactionRate.map(percentOrNull),
        connectNulls: false,
      },
    ],
  };
}

/** 一网通办 volume by month against the same month a year earlier (null where no earlier data). */
export interface OnlineYoyData {
  /** Bucket starts `YYYY-MM-DD` (the first day of each month, or each day). */
  buckets: string[];
  interval: ChartInterval;
  thisYear: number[];
  lastYear: (number | null)[];
}

/** 一网通办 by month: this year's volume and last year's, as bars side by side. */
export function onlineYoyOption(data: OnlineYoyData, locale: ChartLocale = 'zh-CN', isStatic = false): ChartOption {
  const t = TEXT[locale];
  return {
    ...baseOption(
      data.buckets.map((b) => bucketLabel(b, data.interval, locale)),
      isStatic,
    ),
    yAxis: { type: 'value', name: t.volume, minInterval: 1, axisLabel: PLAIN_NUMBER },
    series: [
      { id: 'thisYear', name: t.thisYear, type: 'bar', barMaxWidth: 40, data: data.thisYear },
      { id: 'lastYear', name: t.lastYear, type: 'bar', barMaxWidth: 40, data: data.lastYear },
    ],
  };
}

/** 政务大厅 service matters handled per month. */
export interface HallMonthlyData {
  /** Bucket starts `YYYY-MM-DD` (the first day of each month, or each day). */
  buckets: string[];
  interval: ChartInterval;
  servedMatters: number[];
}

/** 政务大厅 by month: matters handled (bars). */
export function hallMonthlyOption(data: HallMonthlyData, locale: ChartLocale = 'zh-CN', isStatic = false): ChartOption {
  const t = TEXT[locale];
  return {
    ...baseOption(
      data.buckets.map((b) => bucketLabel(b, data.interval, locale)),
      isStatic,
    ),
    yAxis: { type: 'value', name: t.matters, minInterval: 1, axisLabel: PLAIN_NUMBER },
    series: [
      {
        id: 'servedMatters',
        name: t.served,
        type: 'bar',
        barMaxWidth: 40,
        data: data.servedMatters,
        label: { show: isStatic, position: 'top', fontSize: 10 },
      },
    ],
  };
}

/** 跨域通办 cases by partner region over the period (the `partnerRegion` breakdown). */
export interface CrossRegionByPartnerData {
  partners: string[];
  received: number[];
  completed: number[];
}

/** 跨域通办 by partner region: cases received and completed (bars; names slanted when there are many). */
export function crossRegionByPartnerOption(data: CrossRegionByPartnerData, locale: ChartLocale = 'zh-CN', isStatic = false): ChartOption {
  const t = TEXT[locale];
  const base = baseOption(data.partners, isStatic);
  return {
    ...base,
    xAxis: { type: 'category', data: data.partners, axisLabel: { interval: 0, rotate: data.partners.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value', name: t.cases, minInterval: 1, axisLabel: PLAIN_NUMBER },
    series: [
      { id: 'received', name: t.received, type: 'bar', barMaxWidth: 40, data: data.received },
      { id: 'completed', name: t.casesCompleted, type: 'bar', barMaxWidth: 40, data: data.completed },
    ],
  };
}
