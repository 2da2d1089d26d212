import type { CoreContext } from '../context.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { KPI_BY_ID } from '../../shared/kpis.ts';
import type { ProjectedKpi, ProjectionStatus } from '../../shared/projection-types.ts';
import { CalendarService } from '../projection/calendar-service.ts';
import { ProjectionService } from '../projection/projection-service.ts';
import { TargetsService } from '../services/targets-service.ts';
import { periodKind, type Period } from './period-label.ts';
import { writeInt } from './writing-rules.ts';

/**
 * The monthly report's 预计全年 paragraph (ANALYTICS.md): one sentence per headline KPI, from the projection
 * as of the month's last day (or today, in the month still running) — “按当前进度，预计全年签收工单约3100条
 * （80%区间2950–3250条），可完成年度指标值。” Nothing for any other period, nor for a KPI without a projection.
 */

/** The KPIs the paragraph quotes, in the report's order. */
export const PROJECTION_SENTENCE_KPIS: readonly string[] = [
  'hotline.signed',
  'hotline.completionRate',
  'hotline.satisfactionRate',
  'online.volume',
  'online.fullyOnlineRate',
  'hall.servedMatters',
  'crossRegion.received',
  'evaluations.count',
  'evaluations.positiveRate',
];

const STATUS_TEXT: Record<ProjectionStatus, string> = {
  on_track: '，可完成年度指标值',
  at_risk: '，完成年度指标值存在风险',
  off_track: '，按当前进度难以完成年度指标值',
};

/** A projected figure as the sentence writes it: a count exact (no separator), a rate in percent with one decimal. */
function written(id: string, value: number): string {
  const def = KPI_BY_ID.get(id)!;
  if (def.kind === 'count') return `${writeInt(value)}${def.unitZh}`;
  return `${(Math.round(value * 1000) / 10).toFixed(1)}%`;
}

/** The sentence of one KPI's projection; null when it has none (before the year, no data, or the year is over). */
export function projectionSentence(id: string, kpi: ProjectedKpi): string | null {
  if (kpi.value === null || kpi.low === null || kpi.high === null || kpi.basis.method !== 'pace') return null;
  const def = KPI_BY_ID.get(id)!;
  const range = `${written(id, kpi.low).replace(def.kind === 'count' ? def.unitZh : '%', '')}–${written(id, kpi.high)}`;
  return `按当前进度，预计全年${def.nameZh}约${written(id, kpi.value)}（80%区间${range}）${kpi.status ? STATUS_TEXT[kpi.status] : ''}。`;
}

/** The paragraph for `period` (a calendar month; empty for any other period), read through the projection service. */
export function projectionSentencesFor(ctx: CoreContext): (period: Period) => Promise<string[]> {
  const projection = new ProjectionService(ctx, FEED_NAMES, new TargetsService(ctx), new CalendarService(ctx));
  return async (period) => {
    if (periodKind(period) !== 'month') return [];
    const today = projection.today();
    const { kpis } = await projection.project(Number(period.to.slice(0, 4)), period.to < today ? period.to : today);
    return PROJECTION_SENTENCE_KPIS.map((id) => (kpis[id] ? projectionSentence(id, kpis[id]) : null)).filter(
      (s): s is string => s !== null,
    );
  };
}
