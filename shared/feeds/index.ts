import type { FeedModule, FeedName } from './feed.ts';
import { hotlineFeed } from './hotline.feed.ts';

/** Every feed's module (schema, validation, natural key); adding a feed is adding its module here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const FEED_MODULES: Partial<Record<FeedName, FeedModule<any>>> = {
  hotline: hotlineFeed,
};
