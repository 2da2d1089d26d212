import type { CrossRegionCaseRecord, CrossRegionMilestoneType } from './feed.ts';
import type { FeedApplier } from '../feed-applier.ts';
import type { CrossRegionField } from '../../../shared/feeds/cross-region/fields.ts';

/** Case attributes come from whichever record carries them, `received` first. */
const ATTRIBUTE_PRECEDENCE: readonly CrossRegionMilestoneType[] = ['received', 'completed', 'returned'];

function attribute<K extends 'partnerRegion' | 'direction'>(
  records: ReadonlyMap<string, CrossRegionCaseRecord>,
  key: K,
): CrossRegionCaseRecord[K] | undefined {
  for (const type of ATTRIBUTE_PRECEDENCE) {
    const value = records.get(type)?.[key];
    if (value !== undefined) return value;
  }
  return undefined;
}

/**
 * A 跨域通办 case's milestones: `received`, `completed` and `returned` each count on their own day,
 * broken down by the case's partnerRegion and direction. When the records of a case disagree on those,
 * the `received` record's values hold for all of them, so a late `received` moves the case's earlier
 * counts to its breakdown and the figures end the same for every arrival order.
 */
export const crossRegionApplier: FeedApplier<CrossRegionCaseRecord, CrossRegionField, never> = {
  feed: 'crossRegion',
  entityOf: (r) => r.caseId,
  slotOf: (r) => r.type,
  contribution(_caseId, records) {
    const dims = { partnerRegion: attribute(records, 'partnerRegion'), direction: attribute(records, 'direction') };
    return { entries: [...records.values()].map((record) => ({ at: record.at, field: record.type, dims })) };
  },
};
