import { fieldReaders, rate, ratio, type Fields, type KpiDefinition, type KpiValue } from '../../kpis/kpi-helpers.ts';
import type { OnlineField } from './fields.ts';

/** 一网通办 (KPIS.md). Fields are counted by core/feeds/online/apply.ts; `_prev.*` by the KPI service. */

const { count, field, rateOf } = fieldReaders<OnlineField>();

/** volume / volume a year earlier; null when the earlier period had no volume. */
const yoyMultiple = (f: Fields): KpiValue => ratio(field(f, 'volume'), field(f, '_prev.volume'));

/**
 * volume / volume a year earlier − 1, served as (volume − earlier) / earlier so that value =
 * numerator / denominator; null when the earlier period had no volume.
 */
function yoyGrowth(f: Fields): KpiValue {
  const previous = field(f, '_prev.volume');
  return rate(field(f, 'volume') - previous, previous);
}

const base = { feed: 'online' as const };

export const ONLINE_KPIS: readonly KpiDefinition[] = [
  {
    ...base,
    id: 'online.volume',
    nameZh: '办件量',
    nameEn: 'Online service volume',
    kind: 'count',
    unitZh: '件',
    compute: count('volume'),
  },
  {
    ...base,
    id: 'online.fullyOnlineRate',
    nameZh: '全程网办率',
    nameEn: 'Fully online rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('volume.fullyOnline', 'volume'),
  },
  {
    ...base,
    id: 'online.mobileShare',
    nameZh: '掌上办占比',
    nameEn: 'Mobile share',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('volume.mobile', 'volume'),
  },
  {
    ...base,
    id: 'online.yoyMultiple',
    nameZh: '同比倍数',
    nameEn: 'Year-on-year multiple',
    kind: 'ratio',
    unitZh: '倍',
    needsPreviousYear: true,
    compute: yoyMultiple,
  },
  {
    ...base,
    id: 'online.yoyGrowth',
    nameZh: '同比增长率',
    nameEn: 'Year-on-year growth',
    kind: 'rate',
    unitZh: '%',
    needsPreviousYear: true,
    compute: yoyGrowth,
  },
];
