import { fieldReaders, type Fields, type KpiDefinition } from '../../kpis/kpi-helpers.ts';
import type { CrossRegionField } from './fields.ts';

/**
 * 跨域通办 (KPIS.md). Case counts are counted by core/feeds/cross-region/apply.ts; partners and
 * catalogue items are reference data as of the period's end, which the KPI service supplies as
 * `_ref.partners`, `_ref.partners.<scope>` and `_ref.items` (core/services/reference-service.ts).
 */

const { count, field, rateOf } = fieldReaders<CrossRegionField>();

const base = { feed: 'crossRegion' as const };

export const CROSS_REGION_KPIS: readonly KpiDefinition[] = [
  {
    ...base,
    id: 'crossRegion.partners',
    nameZh: '合作地区',
    nameEn: 'Partner regions',
    kind: 'count',
    unitZh: '个',
    compute: (f) => ({ ...count('_ref.partners')(f), breakdown: partnersByScope(f) }),
  },
  {
    ...base,
    id: 'crossRegion.items',
    nameZh: '通办事项',
    nameEn: 'Cross-region service items',
    kind: 'count',
    unitZh: '项',
    compute: count('_ref.items'),
  },
  {
    ...base,
    id: 'crossRegion.received',
    nameZh: '受理件数',
    nameEn: 'Cases received',
    kind: 'count',
    unitZh: '件',
    compute: count('received'),
  },
  {
    ...base,
    id: 'crossRegion.completed',
    nameZh: '办结件数',
    nameEn: 'Cases completed',
    kind: 'count',
    unitZh: '件',
    compute: count('completed'),
  },
  {
    ...base,
    id: 'crossRegion.completionRate',
    nameZh: '办结率',
    nameEn: 'Completion rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('completed', 'received'),
  },
];

/** The breakdown of crossRegion.partners by scope: 跨省通办 and 长株潭 partners as of the period's end. */
export function partnersByScope(f: Fields): Record<'inter_provincial' | 'changzhutan', number> {
  return {
    inter_provincial: field(f, '_ref.partners.inter_provincial'),
    changzhutan: field(f, '_ref.partners.changzhutan'),
  };
}
