import type { FeedDescriptor } from '../feed.ts';
import { HOTLINE_FIELDS, type HotlineField } from './fields.ts';

/**
 * The hotline's live sets (core/feeds/hotline/apply.ts):
 * - `open`: open tickets, member `<signed local day>|<ticketId>`, score = deadline (epoch ms);
 * - `unresolved`, `dissatisfied`: follow-ups that put a ticket under supervision (回访未解决 / 回访不满意),
 *   member ticketId, score = visited time;
 * - `callers`: caller hashes (repeat calls), member `<callerHash>|<category>|<ticketId>` (the last two
 *   through encodeDimValue), score = signed/received time;
 * - `tickets`: every signed ticket, member `<category>|<street>|<ticketId>` (each through encodeDimValue, empty when
 *   absent), score = signed time: the 未诉先办 detector's recent window (core/analytics/), read by score, never whole.
 */
export const HOTLINE_LIVE_SETS = ['open', 'unresolved', 'dissatisfied', 'callers', 'tickets'] as const;
export type HotlineLiveSet = (typeof HOTLINE_LIVE_SETS)[number];

/** 12345 热线 (FEEDS.md, KPIS.md). */
export const hotlineDescriptor: FeedDescriptor<'hotline', HotlineField, HotlineLiveSet> = {
  name: 'hotline',
  fields: HOTLINE_FIELDS,
  dimensions: ['category', 'street', 'department', 'source', 'urgency'],
  drillPath: ['category', 'street', 'department'],
  wallFields: ['street', 'category'],
  silentAfterMinutes: 30,
  liveSets: HOTLINE_LIVE_SETS,
};
