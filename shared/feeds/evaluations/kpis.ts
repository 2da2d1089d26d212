import { fieldReaders, type KpiDefinition } from '../../kpis/kpi-helpers.ts';
import type { EvaluationField } from './fields.ts';

/**
 * 政务服务“好差评” (KPIS.md). Fields are counted by core/feeds/evaluations/apply.ts: `count`,
 * `positive` (ratings 4–5), `negative` (ratings 1–2), `rating.<1–5>`.
 * Ratings are written 条 (收到评价…条, 差评…条), like the hotline's tickets.
 */

const { count, rateOf } = fieldReaders<EvaluationField>();

const base = { feed: 'evaluations' as const };

export const EVALUATION_KPIS: readonly KpiDefinition[] = [
  { ...base, id: 'evaluations.count', nameZh: '评价数', nameEn: 'Ratings', kind: 'count', unitZh: '条', compute: count('count') },
  {
    ...base,
    id: 'evaluations.positiveRate',
    nameZh: '好评率',
    nameEn: 'Positive rating rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('positive', 'count'),
  },
  {
    ...base,
    id: 'evaluations.negative',
    nameZh: '差评数',
    nameEn: 'Negative ratings',
    kind: 'count',
    unitZh: '条',
    compute: count('negative'),
  },
  {
    ...base,
    id: 'evaluations.negativeRate',
    nameZh: '差评率',
    nameEn: 'Negative rating rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('negative', 'count'),
  },
];
