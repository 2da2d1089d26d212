import { crossRegionDescriptor } from '../../../shared/feeds/cross-region/index.ts';
import { coreFeed } from '../core-feed.ts';
import { crossRegionFeed } from './feed.ts';
import { crossRegionApplier } from './apply.ts';

/** The crossRegion feed: its descriptor, validation and natural key (feed.ts) and applier (apply.ts). */
export const crossRegion = coreFeed(crossRegionDescriptor, crossRegionFeed, crossRegionApplier);
