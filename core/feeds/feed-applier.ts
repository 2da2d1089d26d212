import type { FeedName } from '../../shared/feeds/feed.ts';
import type { Settings } from '../../shared/settings.ts';

/**
 * What a feed's records add to the aggregates. Records are grouped into ledger *entities* (a ticket, a
 * hall visit, a snapshot row); an entity's contribution to the figures is a pure function of the
 * records it holds. Applying a record is re-computing its entity's contribution and adding the
 * difference, which makes the figures independent of arrival order, lets snapshot rows replace each
 * other, and lets `rebuild` and `verify` recompute everything from the ledger with the same function.
 */

/**
 * One count: `n` (default 1) of `field` at instant `at`, broken down by `dims` (absent values skipped).
 * `F` is the feed's field type (shared/feeds/<feed>/fields.ts), so an applier cannot count a misspelt field.
 */
export interface ContributionEntry<F extends string = string> {
  at: number;
  field: F;
  n?: number;
  dims?: Readonly<Record<string, string | undefined>>;
}

/** Membership of a live set (e.g. open tickets scored by deadline); `S` is the feed's live set names (its descriptor's `liveSets`). */
export interface LiveMember<S extends string = string> {
  set: S;
  member: string;
  score: number;
}

export interface Contribution<F extends string = string, S extends string = string> {
  entries: ContributionEntry<F>[];
  members?: LiveMember<S>[];
}

export interface ContributionContext {
  settings: Settings;
  tz: string;
}

export interface FeedApplier<R extends { id: string }, F extends string = string, S extends string = string> {
  feed: FeedName;
  /** The ledger entity a record belongs to (`tz` for natural keys that hold a local date). */
  entityOf(record: R, tz: string): string;
  /** The record's place within its entity: the rest of its natural key. */
  slotOf(record: R): string;
  /**
   * For a snapshot row (FEEDS.md: online volumes, hall footfall) `{ asOf }`: a different row for an
   * occupied slot replaces it — the latest `asOf` wins; without `asOf` the later arrival wins. For a
   * lifecycle record null (or leave the method out): a different record is a conflict.
   */
  snapshot?(record: R): { asOf?: number } | null;
  /** What the entity, holding `records` by slot, adds to the figures. */
  contribution(entity: string, records: ReadonlyMap<string, R>, ctx: ContributionContext): Contribution<F, S>;
  /**
   * Live sets whose live figures count only members scored from the start of today (hall `waiting`:
   * numbers taken today): a change there with scores before today leaves today's live figures as they
   * were, so a history batch does not make the wall recompute them (entity-plan.ts).
   */
  todayOnlyLiveSets?: readonly S[];
}
