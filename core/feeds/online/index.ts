import { onlineDescriptor } from '../../../shared/feeds/online/index.ts';
import { coreFeed } from '../core-feed.ts';
import { onlineFeed } from './feed.ts';
import { onlineApplier } from './apply.ts';

/** The online feed: its descriptor, validation and natural key (feed.ts) and applier (apply.ts). */
export const online = coreFeed(onlineDescriptor, onlineFeed, onlineApplier);
