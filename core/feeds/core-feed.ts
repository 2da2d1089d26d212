import type { FeedDescriptor, FeedModule, FeedName } from '../../shared/feeds/feed.ts';
import type { FeedApplier } from './feed-applier.ts';

/**
 * A whole feed, as the Node side sees it (core/feeds/<feed>/index.ts): its browser-safe descriptor
 * (shared/feeds/<feed>/index.ts) with its validation, natural key and column aliases (feed.ts) and
 * what its records add to the aggregates (apply.ts), all typed by the same record, fields and live sets.
 */
export type CoreFeed<
  F extends FeedName,
  R extends { id: string },
  Field extends string = string,
  LiveSet extends string = string,
> = FeedDescriptor<F, Field, LiveSet> & Omit<FeedModule<R>, 'name'> & { applier: FeedApplier<R, Field, LiveSet> };

/** Puts a feed's three parts together; the types make them agree on the record, the fields and the live sets. */
export function coreFeed<F extends FeedName, R extends { id: string }, Field extends string, LiveSet extends string>(
  descriptor: FeedDescriptor<F, Field, LiveSet>,
  module: FeedModule<R>,
  applier: FeedApplier<R, Field, LiveSet>,
): CoreFeed<F, R, Field, LiveSet> {
  return {
    ...descriptor,
    fieldAliases: module.fieldAliases,
    normalize: module.normalize,
    recordSchema: module.recordSchema,
    naturalKey: module.naturalKey,
    applier,
  };
}
