import type { Message } from '../messages/index.ts';

/**
 * What every feed module provides. A feed owns its field list (English names and the Chinese column
 * names of FEEDS.md), the validation and normalisation of a raw record, and its natural key.
 * What a record adds to the aggregates lives beside it in `workers/feeds/`.
 */
export const FEED_NAMES = ['hotline', 'online', 'hall', 'crossRegion', 'evaluations'] as const;
export type FeedName = (typeof FEED_NAMES)[number];

export function isFeedName(name: string): name is FeedName {
  return (FEED_NAMES as readonly string[]).includes(name);
}

/** The plausible window of a record's times (settings INGEST_EARLIEST_DAY, INGEST_MAX_AHEAD_HOURS). */
export interface TimeWindow {
  /** No time before this local day's midnight (report time zone). */
  earliestDay: string;
  /** No time more than this many hours after the server's clock. */
  maxAheadHours: number;
}

export const DEFAULT_TIME_WINDOW: TimeWindow = { earliestDay: '2000-01-01', maxAheadHours: 24 };

/** What normalisation needs from the outside world. */
export interface NormalizeContext {
  /** The report's time zone, for times written without an offset. */
  tz: string;
  /** Keyed hash of a phone number (PIPL: the clear number never goes further than this call). */
  hashPhone(phone: string): string;
  /** Times outside it are refused per record; DEFAULT_TIME_WINDOW when absent. */
  timeWindow?: TimeWindow;
}

/** Why a record is refused: messages of shared/messages, rendered in the reader's language at the edge. */
export type NormalizeResult<R> = { ok: true; record: R } | { ok: false; errors: Message[] };

export interface FeedModule<R extends { id: string }> {
  name: FeedName;
  /** Chinese column name → English field name (FEEDS.md); English names map to themselves. */
  fieldAliases: Readonly<Record<string, string>>;
  /** Validates one raw record; on success the canonical record, else every reason it is refused. */
  normalize(raw: unknown, ctx: NormalizeContext): NormalizeResult<R>;
  /** The JSON Schema (2020-12) of a record as a sender writes it, generated from the field kinds normalize uses. */
  recordSchema: Readonly<Record<string, unknown>>;
  /** The natural key of FEEDS.md, as a string unique within the feed. */
  naturalKey(record: R): string;
}

/**
 * The browser-safe half of a feed (shared/feeds/<feed>/index.ts): everything about it the server, the
 * workers and the client all read. The Node half (validation, natural key, applier) is core/feeds/<feed>/.
 */
export interface FeedDescriptor<F extends FeedName = FeedName, Field extends string = string, LiveSet extends string = string> {
  name: F;
  /** The aggregate fields its applier counts and its KPIs read (shared/feeds/<feed>/fields.ts). */
  fields: readonly Field[];
  /** The breakdown dimensions of KPIS.md; bucket fields `<field>|<dimension>=<value>` hold them. */
  dimensions: readonly string[];
  /** The console's drill-down path (shared/feeds/dimensions.ts DRILL_PATHS); null when the feed has none. */
  drillPath: readonly string[] | null;
  /**
   * The wall ticker's words for a record: the place/subject fields shown beside its milestone — an
   * allow-list, so a personal field (callerPhone, ids) can never reach a screen.
   */
  wallFields: readonly string[];
  /** Minutes without a record after which the wall marks the feed silent, until an administrator says otherwise. */
  silentAfterMinutes: number;
  /** The live sets its applier keeps (`keys.liveSet(feed, set)`), read by core/services/live-figures.ts. */
  liveSets: readonly LiveSet[];
}
