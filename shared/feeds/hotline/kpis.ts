import type { Settings } from '../../settings.ts';
import { fieldReaders, rate, type Fields, type KpiDefinition, type KpiValue } from '../../kpis/kpi-helpers.ts';
import type { HotlineField } from './fields.ts';

/** 12345 “一呼即应” (KPIS.md, Hotline). Fields are counted by core/feeds/hotline/apply.ts. */

const { count, field, rateOf } = fieldReaders<HotlineField>();

const SATISFIED = ['very_satisfied', 'satisfied'] as const;
const ALL_LEVELS = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;

function satisfaction(f: Fields, s: Settings): KpiValue {
  const satisfied = [...SATISFIED, ...(s.countBasicallySatisfied ? (['basically_satisfied'] as const) : [])];
  return rate(
    satisfied.reduce((sum, level) => sum + field(f, `visited.sat.${level}`), 0),
    ALL_LEVELS.reduce((sum, level) => sum + field(f, `visited.sat.${level}`), 0),
  );
}

const responseWithin1h = rateOf('cohort.normalRespondedInTime', 'cohort.normalSigned');
const resolution = rateOf('visited.resolvedYes', 'visited.resolvedKnown');

const base = { feed: 'hotline' as const };

export const HOTLINE_KPIS: readonly KpiDefinition[] = [
  {
    ...base,
    id: 'hotline.received',
    nameZh: '受理工单',
    nameEn: 'Tickets received',
    kind: 'count',
    unitZh: '条',
    compute: count('received'),
  },
  { ...base, id: 'hotline.signed', nameZh: '签收工单', nameEn: 'Tickets signed', kind: 'count', unitZh: '条', compute: count('signed') },
  {
    ...base,
    id: 'hotline.responded',
    nameZh: '响应工单',
    nameEn: 'Tickets responded',
    kind: 'count',
    unitZh: '条',
    compute: count('responded'),
  },
  {
    ...base,
    id: 'hotline.completed',
    nameZh: '办结工单',
    nameEn: 'Tickets completed',
    kind: 'count',
    unitZh: '条',
    compute: count('completed'),
  },
  { ...base, id: 'hotline.visited', nameZh: '回访工单', nameEn: 'Tickets visited', kind: 'count', unitZh: '条', compute: count('visited') },
  {
    ...base,
    id: 'hotline.timelySignRate',
    nameZh: '及时签收率',
    nameEn: 'Timely signing rate',
    kind: 'cohortRate',
    unitZh: '%',
    compute: rateOf('cohort.signedInTime', 'cohort.received'),
  },
  {
    ...base,
    id: 'hotline.completionRate',
    nameZh: '办结率',
    nameEn: 'Completion rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('completed', 'signed'),
  },
  {
    ...base,
    id: 'hotline.visitRate',
    nameZh: '回访率',
    nameEn: 'Follow-up rate',
    kind: 'rate',
    unitZh: '%',
    compute: rateOf('visited', 'completed'),
  },
  {
    ...base,
    id: 'hotline.resolutionRate',
    nameZh: '问题解决率',
    nameEn: 'Resolution rate',
    kind: 'rate',
    unitZh: '%',
    compute: resolution,
  },
  {
    ...base,
    id: 'hotline.satisfactionRate',
    nameZh: '回访满意度',
    nameEn: 'Satisfaction rate',
    kind: 'rate',
    unitZh: '%',
    compute: satisfaction,
  },
  {
    ...base,
    id: 'hotline.threeRateScore',
    nameZh: '“三率”综合得分',
    nameEn: 'Three-rate score',
    kind: 'score',
    unitZh: '分',
    compute: (f, s) => {
      const parts = [
        [responseWithin1h(f).value, s.threeRateWeights.response],
        [resolution(f).value, s.threeRateWeights.resolution],
        [satisfaction(f, s).value, s.threeRateWeights.satisfaction],
      ] as const;
      // A rate over nothing cannot be scored: the score is null rather than silently lower.
      if (parts.some(([value]) => value === null)) return { value: null };
      return { value: parts.reduce((sum, [value, weight]) => sum + value! * weight, 0) };
    },
  },
  {
    ...base,
    id: 'hotline.responseWithin1hRate',
    nameZh: '普通工单1小时回复率',
    nameEn: 'Ordinary tickets answered within 1 hour',
    kind: 'cohortRate',
    unitZh: '%',
    compute: responseWithin1h,
  },
  {
    ...base,
    id: 'hotline.complexScreenedWithin1dRate',
    nameZh: '复杂工单1天内甄别受理率',
    nameEn: 'Complex tickets screened within 1 day',
    kind: 'cohortRate',
    unitZh: '%',
    compute: rateOf('cohort.complexRespondedInTime', 'cohort.complexSigned'),
  },
  {
    ...base,
    id: 'hotline.onTimeCompletionRate',
    nameZh: '按时办结率',
    nameEn: 'On-time completion rate',
    kind: 'cohortRate',
    unitZh: '%',
    compute: (f) => rate(field(f, 'cohort.completedOnTime'), field(f, 'cohort.completed') + field(f, '_live.overdueSignedInPeriod')),
  },
  { ...base, id: 'hotline.open', nameZh: '在办工单', nameEn: 'Open tickets', kind: 'live', unitZh: '条', compute: count('_live.open') },
  {
    ...base,
    id: 'hotline.overdue',
    nameZh: '超时未办结',
    nameEn: 'Overdue tickets',
    kind: 'live',
    unitZh: '条',
    compute: count('_live.overdue'),
  },
  {
    ...base,
    id: 'hotline.supervised',
    nameZh: '四类督办工单',
    nameEn: 'Supervised tickets',
    kind: 'count',
    unitZh: '条',
    compute: (f) => {
      const breakdown = supervisedByKind(f);
      return { value: Object.values(breakdown).reduce((a, b) => a + b, 0), breakdown };
    },
  },
];

/** The four kinds of 四类督办 behind hotline.supervised, for the breakdown the wall and console show. */
export function supervisedByKind(f: Fields): Record<'overdue' | 'unresolved' | 'dissatisfied' | 'repeat', number> {
  return {
    overdue: field(f, '_live.overdue'),
    unresolved: field(f, 'supervised.unresolved'),
    dissatisfied: field(f, 'supervised.dissatisfied'),
    repeat: field(f, '_computed.repeat'),
  };
}
