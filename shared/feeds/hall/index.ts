import type { FeedDescriptor } from '../feed.ts';
import { HALL_FIELDS, type HallField } from './fields.ts';

/**
 * The hall's live set (core/feeds/hall/apply.ts): `waiting`, visitors waiting, member
 * `<hall>|<local date>|<queueId>` (hall and queueId through encodeDimValue), score = time the number was taken.
 */
export const HALL_LIVE_SETS = ['waiting'] as const;
export type HallLiveSet = (typeof HALL_LIVE_SETS)[number];

/** 政务大厅 (FEEDS.md, KPIS.md). */
export const hallDescriptor: FeedDescriptor<'hall', HallField, HallLiveSet> = {
  name: 'hall',
  fields: HALL_FIELDS,
  dimensions: ['hall', 'window', 'service'],
  drillPath: ['hall', 'window', 'service'],
  wallFields: ['hall', 'service'],
  silentAfterMinutes: 30,
  liveSets: HALL_LIVE_SETS,
};
