import type { FeedModule, FeedName } from '../../shared/feeds/feed.ts';
import { hotlineFeed } from './hotline/feed.ts';
import { onlineFeed } from './online/feed.ts';
import { hallFeed } from './hall/feed.ts';
import { crossRegionFeed } from './cross-region/feed.ts';
import { evaluationsFeed } from './evaluations/feed.ts';

/** Every feed's module (schema, validation, natural key); adding a feed is adding its module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FEED_MODULES: Partial<Record<FeedName, FeedModule<any>>> = {
  hotline: hotlineFeed,
  online: onlineFeed,
  hall: hallFeed,
  crossRegion: crossRegionFeed,
  evaluations: evaluationsFeed,
};
