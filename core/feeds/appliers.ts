import type { FeedName } from '../../shared/feeds/feed.ts';
import type { FeedApplier } from './feed-applier.ts';
import { hotlineApplier } from './hotline/apply.ts';
import { onlineApplier } from './online/apply.ts';
import { hallApplier } from './hall/apply.ts';
import { crossRegionApplier } from './cross-region/apply.ts';
import { evaluationsApplier } from './evaluations/apply.ts';

/** Every feed's applier; adding a feed is adding its module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const APPLIERS: Partial<Record<FeedName, FeedApplier<any>>> = {
  hotline: hotlineApplier,
  online: onlineApplier,
  hall: hallApplier,
  crossRegion: crossRegionApplier,
  evaluations: evaluationsApplier,
};
