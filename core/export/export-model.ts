import type { HotspotSection } from './hotspot-section.ts';
import type { SeriesInterval, SeriesResponse } from '../../shared/api-types.ts';
import {
  crossRegionByPartnerData,
  crossRegionByPartnerOption,
  hallMonthlyData,
  hallMonthlyOption,
  hotlineMonthlyData,
  hotlineMonthlyOption,
  MONTHLY_CHART_KPI_IDS,
  onlineYoyData,
  onlineYoyOption,
  type ChartOption,
} from '../../shared/charts/index.ts';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { daysInRange } from '../../shared/time.ts';
import type { KpiService } from '../services/kpi-service.ts';
import type { KpiGroup } from '../../shared/api-types.ts';
import { buildIndicatorTable, type IndicatorTable, type IndicatorTemplate, type TargetSetting } from './indicator-template.ts';
import { periodKind, periodLabel, type Period } from './period-label.ts';
import { renderSentences, type SentenceTemplate } from './sentence-template.ts';
import { buildSelfAssessment, type SelfAssessmentForm } from './self-assessment.ts';
import type { BudgetRecord } from '../../shared/budget.ts';

/**
 * Everything one export holds (REPORT.md, "What one export holds"), built only from what the KPI service
 * serves — `getKpis` for the period and by partner region, `getSeries` by month (by day for a period of a
 * month or less) — so every number equals the KPI API's for the same period. The renderers (DOCX, XLSX,
 * Markdown, JSON) only lay it out.
 */

/** One table of the appendix: a feed's headline KPIs per bucket, and the whole period. */
export interface AppendixTable {
  title: string;
  kpiIds: string[];
  rows: { label: string; bucket: string; values: KpiValue[] }[];
  total: KpiValue[];
}

export interface ExportChart {
  title: string;
  option: ChartOption;
}

export interface ExportModel {
  period: Period;
  periodLabel: string;
  title: string;
  /** ISO instant the export was made. */
  generatedAt: string;
  /** The KPI API's answer for the period (`GET /api/kpis?from&to`): id → served figure. */
  kpis: Record<string, KpiValue>;
  sentences: string[];
  indicators: IndicatorTable;
  /** The whole 自评表 (REPORT.md v2) for a whole calendar year; null for any other period (the monthly report). */
  selfAssessment: SelfAssessmentForm | null;
  interval: Extract<SeriesInterval, 'month' | 'day'>;
  appendix: AppendixTable[];
  charts: ExportChart[];
  /** The KPI API's series behind the appendix and the charts. */
  series: SeriesResponse;
  /** The KPI API's breakdown by partner region (跨域通办). */
  partners: KpiGroup[];
  /** SHA-256 of the evidence pack's manifest.json (core/export/evidence-pack.ts), printed on the DOCX's last page. */
  evidenceSha256?: string;
  /** 未诉先办: the month's hotspots (a calendar month's export only; core/export/hotspot-section.ts). */
  hotspots?: HotspotSection | null;
}

/** The headline KPIs of the appendix, a table per feed. */
export const APPENDIX_TABLES: readonly { title: string; kpiIds: string[] }[] = [
  {
    title: '12345政务热线“一呼即应”',
    kpiIds: [
      'hotline.received',
      'hotline.signed',
      'hotline.completed',
      'hotline.visited',
      'hotline.completionRate',
      'hotline.resolutionRate',
      'hotline.satisfactionRate',
      'hotline.responseWithin1hRate',
      'hotline.onTimeCompletionRate',
    ],
  },
  { title: '“一网通办”', kpiIds: ['online.volume', 'online.fullyOnlineRate', 'online.mobileShare', 'online.yoyGrowth'] },
  {
    title: '政务大厅',
    kpiIds: [
      'hall.servedMatters',
      'hall.taken',
      'hall.visitors',
      'hall.openDays',
      'hall.dailyAvgVisitors',
      'hall.avgWaitMinutes',
      'hall.waitTargetRate',
    ],
  },
  { title: '跨域通办', kpiIds: ['crossRegion.received', 'crossRegion.completed', 'crossRegion.completionRate'] },
  {
    title: '政务服务“好差评”',
    kpiIds: ['evaluations.count', 'evaluations.positiveRate', 'evaluations.negative', 'evaluations.negativeRate'],
  },
];

/** The KPI service calls an export needs (KpiService satisfies it). */
export type KpiSource = Pick<KpiService, 'getKpis' | 'getSeries'>;

/** Month buckets for a period longer than a month; day buckets for a month or less (the monthly report). */
export function intervalFor(period: Period): 'month' | 'day' {
  return periodKind(period) === 'month' || daysInRange(period.from, period.to).length <= 31 ? 'day' : 'month';
}

/** A bucket as a row label: `3月` (`2022年3月` when the period spans years), or `3月5日` for a day. */
export function bucketRowLabel(bucket: string, interval: 'month' | 'day', withYear = false): string {
  const [y, m, d] = bucket.split('-').map(Number) as [number, number, number];
  return interval === 'month' ? `${withYear ? `${y}年` : ''}${m}月` : `${m}月${d}日`;
}

/** Reads the period's figures from the KPI service (three calls, in parallel). */
export async function readExportFigures(kpis: KpiSource, period: Period) {
  const interval = intervalFor(period);
  const seriesIds = [...new Set([...APPENDIX_TABLES.flatMap((t) => t.kpiIds), ...MONTHLY_CHART_KPI_IDS])];
  const [whole, series, byPartner] = await Promise.all([
    kpis.getKpis(period.from, period.to),
    kpis.getSeries(seriesIds, period.from, period.to, interval),
    kpis.getKpis(period.from, period.to, 'partnerRegion'),
  ]);
  return { interval, kpis: whole.kpis, series, partners: byPartner.groups ?? [] };
}

/** The title of the document for the period. */
export function exportTitle(period: Period, bureau = ''): string {
  const kind = periodKind(period);
  return kind === 'month'
    ? `${periodLabel(period)}${bureau}政务服务效能分析报告（数据）`
    : `${periodLabel(period)}${bureau}部门整体支出绩效评价报告数据`;
}

/** Builds the model from the figures read, the templates and the year's targets. */
export function buildExportModel(
  period: Period,
  figures: Awaited<ReturnType<typeof readExportFigures>>,
  templates: { sentences: SentenceTemplate; indicators: IndicatorTemplate },
  targets: Record<string, TargetSetting>,
  now: Date,
  /** The year's budget execution and texts (null: not entered); read only for a whole-year period. */
  budget: BudgetRecord | null = null,
  /** The bureau's name (setting), written into the title as the seed report does: 2022年度长沙市芙蓉区行政审批服务局…. */
  bureau = '',
): ExportModel {
  const { interval, kpis, series, partners } = figures;
  const static_ = true;
  const withYear = period.from.slice(0, 4) !== period.to.slice(0, 4);
  const appendix = APPENDIX_TABLES.map((t) => ({
    title: t.title,
    kpiIds: t.kpiIds,
    rows: series.buckets.map((bucket, i) => ({
      bucket,
      label: bucketRowLabel(bucket, interval, withYear),
      values: t.kpiIds.map((id) => series.series[id]?.[i] ?? { value: null }),
    })),
    total: t.kpiIds.map((id) => kpis[id] ?? { value: null }),
  }));
  const by = interval === 'month' ? '月' : '日';
  const charts: ExportChart[] = [
    { title: `12345热线“一呼即应”工单及回访满意度（按${by}）`, option: hotlineMonthlyOption(hotlineMonthlyData(series), 'zh-CN', static_) },
    { title: `“一网通办”办件量与上年同期（按${by}）`, option: onlineYoyOption(onlineYoyData(series), 'zh-CN', static_) },
    { title: `政务大厅接待政务服务事项件次（按${by}）`, option: hallMonthlyOption(hallMonthlyData(series), 'zh-CN', static_) },
    {
      title: '跨域通办受理、办结件数（按合作地区）',
      option: crossRegionByPartnerOption(crossRegionByPartnerData(partners), 'zh-CN', static_),
    },
  ];
  const sentences = renderSentences(templates.sentences, kpis, period);
  const indicators = buildIndicatorTable(templates.indicators, kpis, targets);
  const year = Number(period.from.slice(0, 4));
  const selfAssessment =
    periodKind(period) === 'year' ? buildSelfAssessment(year, indicators, templates.indicators, budget, sentences, bureau) : null;
  return {
    period,
    periodLabel: periodLabel(period),
    title: exportTitle(period, bureau),
    generatedAt: now.toISOString(),
    kpis,
    sentences,
    indicators,
    selfAssessment,
    interval,
    appendix,
    charts,
    series,
    partners,
  };
}

/** The KPI's name and unit for table headers: `签收工单（条）`, `办结率（%）`. */
export function kpiHeader(id: string): string {
  const def = KPI_BY_ID.get(id)!;
  return `${def.nameZh}（${def.unitZh}）`;
}
