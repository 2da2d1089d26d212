import { hallDescriptor } from '../../../shared/feeds/hall/index.ts';
import { coreFeed } from '../core-feed.ts';
import { hallFeed } from './feed.ts';
import { hallApplier } from './apply.ts';

/** The hall feed: its descriptor, validation and natural key (feed.ts) and applier (apply.ts). */
export const hall = coreFeed(hallDescriptor, hallFeed, hallApplier);
