import type { FeedName } from '../../shared/feeds/feed.ts';
import type { FeedApplier } from './feed-applier.ts';
import { hotlineApplier } from './hotline.apply.ts';

/** Every feed's applier; adding a feed is adding its module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const APPLIERS: Partial<Record<FeedName, FeedApplier<any>>> = {
  hotline: hotlineApplier,
};
