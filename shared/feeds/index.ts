import type { FeedDescriptor, FeedName } from './feed.ts';
import { hotlineDescriptor } from './hotline/index.ts';
import { onlineDescriptor } from './online/index.ts';
import { hallDescriptor } from './hall/index.ts';
import { crossRegionDescriptor } from './cross-region/index.ts';
import { evaluationsDescriptor } from './evaluations/index.ts';

/**
 * Every feed's browser-safe descriptor, in FEED_NAMES order; adding a feed is adding its folder and one
 * line here (and in core/feeds/index.ts). The lookups of shared/feeds/dimensions.ts and wall.ts read it.
 */
export const FEED_DESCRIPTORS = {
  hotline: hotlineDescriptor,
  online: onlineDescriptor,
  hall: hallDescriptor,
  crossRegion: crossRegionDescriptor,
  evaluations: evaluationsDescriptor,
} as const satisfies { readonly [F in FeedName]: FeedDescriptor<F> };

/** The names of a feed's live sets (its descriptor's `liveSets`); never for a feed without any. */
export type LiveSetOf<F extends FeedName> = (typeof FEED_DESCRIPTORS)[F]['liveSets'][number];

/** The descriptors as a list, in FEED_NAMES order. */
export const ALL_FEED_DESCRIPTORS: readonly FeedDescriptor[] = Object.values(FEED_DESCRIPTORS);
