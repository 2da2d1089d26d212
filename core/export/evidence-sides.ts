import type { FeedName } from '../../shared/feeds/feed.ts';
import type { Settings } from '../../shared/settings.ts';

/**
 * Which ledger entities stand behind each figure of the export (the evidence pack, REPORT.md v2). A *side*
 * is a numerator, a denominator or a count: the entities of one feed whose contribution
 * (core/feeds/<feed>/apply.ts) counts one of `fields` on a local day of the period — the same entries the
 * day buckets sum, so a side's rows (or the sum of its `sumColumn`) equal the figure the KPI service serves.
 * The fields are those the definitions of shared/feeds/<feed>/kpis.ts read for each KPI.
 */

/** The kind of ledger entity a side lists, one per CSV row (core/export/evidence-rows.ts). */
export type EvidenceRowKind = 'ticket' | 'volume' | 'visit' | 'footfall' | 'case' | 'rating';

export interface EvidenceSide {
  /** The file's path in the pack; sides that are the same set share one file. */
  file: string;
  feed: FeedName;
  rows: EvidenceRowKind;
  /** An entity is a row when its contribution counts any of these fields inside the period. */
  fields: readonly string[];
  /** For a summed figure (办件量, 进入人数): the CSV column whose values add up to it; otherwise the row count is the figure. */
  sumColumn?: string;
  /** The same period one year earlier (`_prev.*`: online.yoyMultiple's denominator). */
  previousYear?: boolean;
  /** Also tickets signed in the period, still open and past their deadline now (`_live.overdueSignedInPeriod`). */
  overdueOpen?: boolean;
}

export interface EvidenceKpi {
  id: string;
  /** A count: one side. */
  value?: EvidenceSide;
  numerator?: EvidenceSide;
  denominator?: EvidenceSide;
}

const VOLUME_COLUMN = '办件量（count）';
const ENTRIES_COLUMN = '进入人数（entries）';

const ticket = (name: string, fields: readonly string[], extra: Partial<EvidenceSide> = {}): EvidenceSide => ({
  file: `hotline/${name}.csv`,
  feed: 'hotline',
  rows: 'ticket',
  fields,
  ...extra,
});
const volume = (name: string, field: string, extra: Partial<EvidenceSide> = {}): EvidenceSide => ({
  file: `online/${name}.csv`,
  feed: 'online',
  rows: 'volume',
  fields: [field],
  sumColumn: VOLUME_COLUMN,
  ...extra,
});
const visit = (field: string): EvidenceSide => ({ file: `hall/${field}.csv`, feed: 'hall', rows: 'visit', fields: [field] });
const case_ = (field: string): EvidenceSide => ({ file: `crossRegion/${field}.csv`, feed: 'crossRegion', rows: 'case', fields: [field] });
const rating = (field: string): EvidenceSide => ({
  file: `evaluations/${field}.csv`,
  feed: 'evaluations',
  rows: 'rating',
  fields: [field],
});

const SATISFIED = ['very_satisfied', 'satisfied'] as const;
const ALL_LEVELS = ['very_satisfied', 'satisfied', 'basically_satisfied', 'dissatisfied', 'very_dissatisfied'] as const;

/** Every count and rate of the export with a yearly meaning, and the sides behind it (satisfaction follows the counting setting). */
export function evidenceKpis(settings: Settings): EvidenceKpi[] {
  const satisfied = [...SATISFIED, ...(settings.countBasicallySatisfied ? (['basically_satisfied'] as const) : [])];
  const h = {
    received: ticket('received', ['received']),
    signed: ticket('signed', ['signed']),
    completed: ticket('completed', ['completed']),
    visited: ticket('visited', ['visited']),
  };
  const v = { volume: volume('volume', 'volume') };
  const hall = { served: visit('served'), taken: visit('taken'), waitCount: visit('wait.count') };
  const cr = { received: case_('received'), completed: case_('completed') };
  const ev = { count: rating('count'), positive: rating('positive'), negative: rating('negative') };
  return [
    { id: 'hotline.received', value: h.received },
    { id: 'hotline.signed', value: h.signed },
    { id: 'hotline.completed', value: h.completed },
    { id: 'hotline.visited', value: h.visited },
    { id: 'hotline.completionRate', numerator: h.completed, denominator: h.signed },
    {
      id: 'hotline.resolutionRate',
      numerator: ticket('visited.resolvedYes', ['visited.resolvedYes']),
      denominator: ticket('visited.resolvedKnown', ['visited.resolvedKnown']),
    },
    {
      id: 'hotline.satisfactionRate',
      numerator: ticket(
        'visited.satisfied',
        satisfied.map((l) => `visited.sat.${l}`),
      ),
      denominator: ticket(
        'visited.satisfactionKnown',
        ALL_LEVELS.map((l) => `visited.sat.${l}`),
      ),
    },
    {
      id: 'hotline.responseWithin1hRate',
      numerator: ticket('cohort.normalRespondedInTime', ['cohort.normalRespondedInTime']),
      denominator: ticket('cohort.normalSigned', ['cohort.normalSigned']),
    },
    {
      id: 'hotline.onTimeCompletionRate',
      numerator: ticket('cohort.completedOnTime', ['cohort.completedOnTime']),
      denominator: ticket('cohort.completed+overdueOpen', ['cohort.completed'], { overdueOpen: true }),
    },
    { id: 'online.volume', value: v.volume },
    { id: 'online.fullyOnlineRate', numerator: volume('volume.fullyOnline', 'volume.fullyOnline'), denominator: v.volume },
    { id: 'online.mobileShare', numerator: volume('volume.mobile', 'volume.mobile'), denominator: v.volume },
    { id: 'online.yoyMultiple', numerator: v.volume, denominator: volume('volume.previousYear', 'volume', { previousYear: true }) },
    { id: 'hall.servedMatters', value: hall.served },
    { id: 'hall.taken', value: hall.taken },
    {
      id: 'hall.visitors',
      value: { file: 'hall/visitors.csv', feed: 'hall', rows: 'footfall', fields: ['visitors'], sumColumn: ENTRIES_COLUMN },
    },
    { id: 'hall.waitTargetRate', numerator: visit('wait.withinTarget'), denominator: hall.waitCount },
    { id: 'crossRegion.received', value: cr.received },
    { id: 'crossRegion.completed', value: cr.completed },
    { id: 'crossRegion.completionRate', numerator: cr.completed, denominator: cr.received },
    { id: 'evaluations.count', value: ev.count },
    { id: 'evaluations.positiveRate', numerator: ev.positive, denominator: ev.count },
    { id: 'evaluations.negative', value: ev.negative },
    { id: 'evaluations.negativeRate', numerator: ev.negative, denominator: ev.count },
  ];
}

/** Figures the export quotes that have no list of entities of their own, and why (written into the manifest). */
export const EVIDENCE_EXCLUDED: Readonly<Record<string, string>> = {
  'hotline.threeRateScore':
    '综合得分，由三个比率加权：见 hotline.responseWithin1hRate、hotline.resolutionRate、hotline.satisfactionRate 的文件 / a weighted score of three rates, each with its files',
  'online.yoyGrowth':
    '分子为两年办件量之差：见 online.yoyMultiple 的本期与上年同期文件 / the numerator is a difference of two sums: see online.yoyMultiple',
  'hall.openDays': '有大厅记录的天数，不是记录 / days with any hall record, not records',
  'hall.dailyAvgVisitors': 'hall.visitors ÷ hall.openDays：见 hall.visitors 的文件 / see hall.visitors',
  'hall.avgWaitMinutes':
    '平均值：其叫号记录即 hall.waitTargetRate 的分母文件（等候秒数列）/ a mean: its visits are hall.waitTargetRate’s denominator file (wait seconds column)',
  'crossRegion.partners': '期末的参考数据（合作地区），不是业务记录 / reference data as of the period’s end, not ledger records',
  'crossRegion.items': '期末的参考数据（通办事项），不是业务记录 / reference data as of the period’s end, not ledger records',
};

/** Said in every manifest: what the pack leaves out on purpose. */
export const EVIDENCE_NOTE =
  '实时数（在办、超时未办结、当前等候）没有年度含义，不列入；来电号码从不写出。' +
  ' Live figures (open, overdue, waiting now) have no yearly meaning and are left out; no caller number is ever written.';
