import { evaluationsDescriptor } from '../../../shared/feeds/evaluations/index.ts';
import { coreFeed } from '../core-feed.ts';
import { evaluationsFeed } from './feed.ts';
import { evaluationsApplier } from './apply.ts';

/** The evaluations feed: its descriptor, validation and natural key (feed.ts) and applier (apply.ts). */
export const evaluations = coreFeed(evaluationsDescriptor, evaluationsFeed, evaluationsApplier);
