import type { FeedName } from '../../shared/feeds/feed.ts';

/**
 * What a feed's records add to the aggregates. The apply service counts each increment into the day
 * bucket of `countedAt` in the report's zone, once as a day total and once for its hour (`field@HH`).
 */
export interface FeedApplier<R extends { id: string }> {
  feed: FeedName;
  /** Where the record lives in the ledger: the entity hash and the field within it (its natural key). */
  ledgerLocation(record: R): { entity: string; field: string };
  /** Epoch ms the record counts at (its own time). */
  countedAt(record: R): number;
  /** Aggregate fields this record adds to, with their increments. */
  increments(record: R): [field: string, increment: number][];
}
