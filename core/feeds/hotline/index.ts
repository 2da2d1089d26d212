import { hotlineDescriptor } from '../../../shared/feeds/hotline/index.ts';
import { coreFeed } from '../core-feed.ts';
import { hotlineFeed } from './feed.ts';
import { hotlineApplier } from './apply.ts';

/** The hotline feed: its descriptor, validation and natural key (feed.ts) and applier (apply.ts). */
export const hotline = coreFeed(hotlineDescriptor, hotlineFeed, hotlineApplier);
