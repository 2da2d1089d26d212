import { fieldReaders, ratio, type Fields, type KpiDefinition, type KpiValue } from '../../kpis/kpi-helpers.ts';
import type { HallField } from './fields.ts';

/**
 * 政务大厅 (KPIS.md). Fields are counted by core/feeds/hall/apply.ts; `_days.active` and
 * `_live.waitingNow` by the KPI service.
 */

const { count, field, rateOf } = fieldReaders<HallField>();

/**
 * Mean minutes of `<prefix>.sumSeconds` over `<prefix>.count`: numerator = total minutes,
 * denominator = visitors with both ends; null over none.
 */
const meanMinutes =
  (prefix: 'wait' | 'service') =>
  (f: Fields): KpiValue =>
    ratio(field(f, `${prefix}.sumSeconds`) / 60, field(f, `${prefix}.count`));

const base = { feed: 'hall' as const };

export const HALL_KPIS: readonly KpiDefinition[] = [
  {
    ...base,
    id: 'hall.servedMatters',
    nameZh: '接待政务服务事项件次',
    nameEn: 'Service matters handled',
    kind: 'count',
    unitZh: '件次',
    compute: count('served'),
  },
  { ...base, id: 'hall.taken', nameZh: '取号量', nameEn: 'Queue numbers taken', kind: 'count', unitZh: '人次', compute: count('taken') },
  { ...base, id: 'hall.visitors', nameZh: '人流量', nameEn: 'Visitors', kind: 'count', unitZh: '人次', compute: count('visitors') },
  { ...base, id: 'hall.openDays', nameZh: '开放天数', nameEn: 'Open days', kind: 'count', unitZh: '天', compute: count('_days.active') },
  {
    ...base,
    id: 'hall.dailyAvgVisitors',
    nameZh: '日均人流量',
    nameEn: 'Average daily visitors',
    kind: 'ratio',
    unitZh: '人次',
    compute: rateOf('visitors', '_days.active'),
  },
  {
    ...base,
    id: 'hall.avgWaitMinutes',
    nameZh: '平均等候时长',
    nameEn: 'Average wait',
    kind: 'mean',
    unitZh: '分钟',
    compute: meanMinutes('wait'),
  },
  {
    ...base,
    id: 'hall.avgServiceMinutes',
    nameZh: '平均办理时长',
    nameEn: 'Average service time',
    kind: 'mean',
    unitZh: '分钟',
    compute: meanMinutes('service'),
  },
  {
    ...base,
    id: 'hall.abandonRate',
    nameZh: '过号率',
    nameEn: 'Abandon rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('abandoned', 'taken'),
  },
  {
    ...base,
    id: 'hall.waitTargetRate',
    nameZh: '等候达标率',
    nameEn: 'Wait target rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('wait.withinTarget', 'wait.count'),
  },
  {
    ...base,
    id: 'hall.waitingNow',
    nameZh: '当前等候人数',
    nameEn: 'Waiting now',
    kind: 'live',
    unitZh: '人',
    compute: count('_live.waitingNow'),
  },
];
