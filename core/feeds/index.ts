import type { FeedModule, FeedName } from '../../shared/feeds/feed.ts';
import type { CoreFeed } from './core-feed.ts';
import type { FeedApplier } from './feed-applier.ts';
import type { HotlineMilestone } from './hotline/feed.ts';
import type { OnlineVolumeRow } from './online/feed.ts';
import type { HallRecord } from './hall/feed.ts';
import type { CrossRegionCaseRecord } from './cross-region/feed.ts';
import type { EvaluationRecord } from './evaluations/feed.ts';
import { hotline } from './hotline/index.ts';
import { online } from './online/index.ts';
import { hall } from './hall/index.ts';
import { crossRegion } from './cross-region/index.ts';
import { evaluations } from './evaluations/index.ts';

/** Each feed's canonical record (what normalize returns and the ledger holds). */
export interface FeedRecords {
  hotline: HotlineMilestone;
  online: OnlineVolumeRow;
  hall: HallRecord;
  crossRegion: CrossRegionCaseRecord;
  evaluations: EvaluationRecord;
}

/**
 * Every feed (descriptor, validation, natural key, applier), in FEED_NAMES order; adding a feed is adding
 * its folder and one line here (docs/ARCHITECTURE.md, "Adding a sixth feed").
 */
export const FEEDS: { readonly [F in FeedName]: CoreFeed<F, FeedRecords[F]> } = {
  hotline,
  online,
  hall,
  crossRegion,
  evaluations,
};

/**
 * A feed's applier for records read back untyped (queued batches, the ledger): what each holds was
 * validated by that same feed's normalize.
 */
export function applierOf(feed: FeedName): FeedApplier<{ id: string }> {
  return FEEDS[feed].applier;
}

/**
 * Every feed's validation and natural key, for callers that hold records untyped (HTTP ingest, file
 * imports, connectors): the registry above, seen through `FeedModule`.
 */
export const FEED_MODULES: { readonly [F in FeedName]: FeedModule<{ id: string }> } = FEEDS;
