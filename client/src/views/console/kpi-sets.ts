import type { FeedName } from '@shared/feeds/feed.ts';

/** The headline KPIs of the overview, by feed, in the order the bureau reads them. */
export const HEADLINE_KPIS: readonly { feed: FeedName; ids: readonly string[] }[] = [
  {
    feed: 'hotline',
    ids: [
      'hotline.signed',
      'hotline.completionRate',
      'hotline.responseWithin1hRate',
      'hotline.resolutionRate',
      'hotline.satisfactionRate',
      'hotline.threeRateScore',
      'hotline.onTimeCompletionRate',
      'hotline.supervised',
    ],
  },
  { feed: 'online', ids: ['online.volume', 'online.fullyOnlineRate', 'online.mobileShare', 'online.yoyGrowth'] },
  { feed: 'hall', ids: ['hall.servedMatters', 'hall.visitors', 'hall.avgWaitMinutes', 'hall.waitTargetRate'] },
  { feed: 'crossRegion', ids: ['crossRegion.partners', 'crossRegion.received', 'crossRegion.completionRate'] },
  { feed: 'evaluations', ids: ['evaluations.count', 'evaluations.positiveRate', 'evaluations.negative'] },
];

/** Per feed page: its headline KPIs, the columns of its breakdown table, and the KPIs of its trend chart. */
export const FEED_PAGES: Record<FeedName, { cards: readonly string[]; columns: readonly string[]; trend: readonly string[] }> = {
  hotline: {
    cards: [
      'hotline.received',
      'hotline.signed',
      'hotline.completed',
      'hotline.completionRate',
      'hotline.responseWithin1hRate',
      'hotline.resolutionRate',
      'hotline.satisfactionRate',
      'hotline.open',
    ],
    columns: [
      'hotline.signed',
      'hotline.completed',
      'hotline.completionRate',
      'hotline.responseWithin1hRate',
      'hotline.onTimeCompletionRate',
      'hotline.resolutionRate',
      'hotline.satisfactionRate',
      'hotline.supervised',
    ],
    trend: ['hotline.signed', 'hotline.completed', 'hotline.satisfactionRate'],
  },
  online: {
    cards: ['online.volume', 'online.fullyOnlineRate', 'online.mobileShare', 'online.yoyMultiple'],
    columns: ['online.volume', 'online.fullyOnlineRate', 'online.mobileShare'],
    trend: ['online.volume', 'online.yoyMultiple'],
  },
  hall: {
    cards: [
      'hall.servedMatters',
      'hall.taken',
      'hall.visitors',
      'hall.openDays',
      'hall.avgWaitMinutes',
      'hall.avgServiceMinutes',
      'hall.abandonRate',
      'hall.waitTargetRate',
    ],
    columns: [
      'hall.taken',
      'hall.servedMatters',
      'hall.avgWaitMinutes',
      'hall.avgServiceMinutes',
      'hall.abandonRate',
      'hall.waitTargetRate',
    ],
    trend: ['hall.servedMatters'],
  },
  crossRegion: {
    cards: ['crossRegion.partners', 'crossRegion.items', 'crossRegion.received', 'crossRegion.completed', 'crossRegion.completionRate'],
    columns: ['crossRegion.received', 'crossRegion.completed', 'crossRegion.completionRate'],
    trend: ['crossRegion.received', 'crossRegion.completed'],
  },
  evaluations: {
    cards: ['evaluations.count', 'evaluations.positiveRate', 'evaluations.negative', 'evaluations.negativeRate'],
    columns: ['evaluations.count', 'evaluations.positiveRate', 'evaluations.negative', 'evaluations.negativeRate'],
    trend: ['evaluations.count', 'evaluations.positiveRate'],
  },
};

/** KPIs where a fall is the good news (waits, 差评, supervised tickets): their changes are coloured the other way round. */
export const LOWER_IS_BETTER: ReadonlySet<string> = new Set([
  'hall.avgWaitMinutes',
  'hall.avgServiceMinutes',
  'hall.abandonRate',
  'hall.waitingNow',
  'evaluations.negative',
  'evaluations.negativeRate',
  'hotline.supervised',
  'hotline.open',
  'hotline.overdue',
]);
