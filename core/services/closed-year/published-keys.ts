import type { Redis } from 'ioredis';
import type { FeedName } from '../../../shared/feeds/feed.ts';
import { FEED_DESCRIPTORS } from '../../../shared/feeds/index.ts';
import type { Settings } from '../../../shared/settings.ts';
import { readLiveFields } from '../live-figures.ts';
import { daysInRange, type LocalDay } from '../../../shared/time.ts';
import type { RedisKeys } from '../../platform/redis-keys.ts';

/**
 * The closed year's keys (封账, docs/ARCHITECTURE.md "Closed year"). Closing a year freezes a copy of every
 * feed's buckets of that year under `<p>:{<feed>}:pub:` — day `d:`, hour `dh:`, breakdown `dd:`, path
 * `dp2:`/`dp3:` and month `m:` hashes — in the feed's hash tag, so the copy is one MULTI per feed (COPY needs
 * both keys in one slot). The live buckets go on absorbing late records; the readers of period figures read the
 * frozen copy for the days of a closed year (`publishedKeys`).
 */
export function closedYearKeys(prefix: string) {
  const pub = (feed: FeedName) => `${prefix}:{${feed}}:pub`;
  return {
    /** Hash: year → JSON `{ closedAt, closedBy, copiedAt }` (copiedAt: epoch ms of the frozen copy), the closed years. Written last by a close, removed first by a reopen. */
    registry: () => `${prefix}:closed-years`,
    /** String with TTL: a close or reopen of the year under way (one at a time). */
    lock: (year: number) => `${prefix}:closed-years:lock:${year}`,
    /** String without TTL: the year's export in one format, stored at close (served as is). */
    exportFile: (year: number, format: string) => `${prefix}:closed-years:export:${year}:${format}`,
    /** String without TTL: the year's evidence pack (佐证材料 ZIP), made at close from the ledger as published (served as is). */
    evidenceFile: (year: number) => `${prefix}:closed-years:evidence:${year}`,
    /**
     * Hash: year → epoch ms of the frozen copy of this feed's buckets, written in the copy's MULTI: from then on the
     * feed's late records for that year are counted (`countLateRecords`).
     */
    frozenYears: (feed: FeedName) => `${pub(feed)}:years`,
    /** Hash: year → records of this feed accepted for a day of the closed year after it was closed. */
    lateRecords: (feed: FeedName) => `${pub(feed)}:late`,
    dayBucket: (feed: FeedName, day: LocalDay) => `${pub(feed)}:d:${day}`,
    dayHourBucket: (feed: FeedName, day: LocalDay) => `${pub(feed)}:dh:${day}`,
    dayDimBucket: (feed: FeedName, day: LocalDay) => `${pub(feed)}:dd:${day}`,
    dayPathBucket: (feed: FeedName, day: LocalDay, depth: number) => `${pub(feed)}:dp${depth}:${day}`,
    monthBucket: (feed: FeedName, month: string) => `${pub(feed)}:m:${month}`,
    /** Sorted set: a feed's live set as it was at the close of `year` (hotline `open`, `callers`: period figures read them). */
    liveSet: (feed: FeedName, year: number, name: string) => `${pub(feed)}:z:${year}:${name}`,
  };
}

export type ClosedYearKeys = ReturnType<typeof closedYearKeys>;

/**
 * Every bucket of `feed` in `year` as [live key, frozen key] pairs — five hashes per day, one per month — and the
 * feed's live sets as they are at the close.
 */
export function yearBucketPairs(keys: RedisKeys, feed: FeedName, year: number): [live: string, frozen: string][] {
  const pub = closedYearKeys(keys.prefix);
  const pairs: [string, string][] = FEED_DESCRIPTORS[feed].liveSets.map((name) => [
    keys.liveSet(feed, name),
    pub.liveSet(feed, year, name),
  ]);
  for (const day of daysInRange(`${year}-01-01`, `${year}-12-31`)) {
    pairs.push([keys.dayBucket(feed, day), pub.dayBucket(feed, day)]);
    pairs.push([keys.dayHourBucket(feed, day), pub.dayHourBucket(feed, day)]);
    pairs.push([keys.dayDimBucket(feed, day), pub.dayDimBucket(feed, day)]);
    pairs.push([keys.dayPathBucket(feed, day, 2), pub.dayPathBucket(feed, day, 2)]);
    pairs.push([keys.dayPathBucket(feed, day, 3), pub.dayPathBucket(feed, day, 3)]);
  }
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${m < 10 ? '0' : ''}${m}`;
    pairs.push([keys.monthBucket(feed, month), pub.monthBucket(feed, month)]);
  }
  return pairs;
}

/** Views made for a close under way (its export): year → the instant of its frozen copy. */
const forced = new WeakMap<RedisKeys, ReadonlyMap<number, number>>();

/**
 * `keys` with the bucket builders of the days (and months) of `years` turned to the frozen copy: the KPI
 * service reads through it, so every period figure — a day, a month, the year, the `_prev.*` of the next
 * year (同比), groups, drill-downs, series — of a closed year is the published one. Built from the prefix,
 * so a view of a view is the same view.
 */
export function frozenView(keys: RedisKeys, years: ReadonlySet<number>): RedisKeys {
  if (years.size === 0) return keys;
  const pub = closedYearKeys(keys.prefix);
  const closed = (dayOrMonth: string) => years.has(Number(dayOrMonth.slice(0, 4)));
  const view: RedisKeys = {
    ...keys,
    dayBucket: (feed, day) => (closed(day) ? pub.dayBucket(feed, day) : keys.dayBucket(feed, day)),
    dayHourBucket: (feed, day) => (closed(day) ? pub.dayHourBucket(feed, day) : keys.dayHourBucket(feed, day)),
    dayDimBucket: (feed, day) => (closed(day) ? pub.dayDimBucket(feed, day) : keys.dayDimBucket(feed, day)),
    dayPathBucket: (feed, day, depth) => (closed(day) ? pub.dayPathBucket(feed, day, depth) : keys.dayPathBucket(feed, day, depth)),
    monthBucket: (feed, month) => (closed(month) ? pub.monthBucket(feed, month) : keys.monthBucket(feed, month)),
  };
  const closing = forced.get(keys);
  if (closing) forced.set(view, closing); // a close under way stays frozen in a view of its view
  return view;
}

/** `frozenView` of one year not yet in the registry, frozen at `copiedAt` (epoch ms): the close's own export reads through it. */
export function closingView(keys: RedisKeys, year: number, copiedAt: number): RedisKeys {
  const view = { ...frozenView(keys, new Set([year])) };
  forced.set(view, new Map([[year, copiedAt]]));
  return view;
}

/** The live fields that are period figures — 超期 open tickets signed in the period, repeat calls — and move with the live sets. */
const PERIOD_LIVE_FIELDS = ['_live.overdueSignedInPeriod', '_computed.repeat'];

/**
 * For a period inside one closed year, the period figures read from live sets (`PERIOD_LIVE_FIELDS`) as they were
 * at the close: the frozen sets, at the instant of the copy. Null for any other period (its live fields stay live),
 * as for figures of now (在办, 超时, 当前等候), which are never the year's.
 */
export async function publishedLiveFields(
  redis: Redis,
  keys: RedisKeys,
  feeds: readonly FeedName[],
  period: { from: LocalDay; to: LocalDay },
  options: { tz: string; settings: Settings },
): Promise<Partial<Record<FeedName, Record<string, number>>> | null> {
  const year = Number(period.from.slice(0, 4));
  if (Number(period.to.slice(0, 4)) !== year || !feeds.some((f) => FEED_DESCRIPTORS[f].liveSets.length > 0)) return null;
  let copiedAt = forced.get(keys)?.get(year);
  if (copiedAt === undefined) {
    const entry = await redis.hget(closedYearKeys(keys.prefix).registry(), String(year));
    if (!entry) return null;
    copiedAt = (JSON.parse(entry) as { copiedAt: number }).copiedAt;
  }
  const pub = closedYearKeys(keys.prefix);
  const frozenSets: RedisKeys = { ...keys, liveSet: (feed, name) => pub.liveSet(feed, year, name) };
  const fields = await readLiveFields(redis, frozenSets, feeds, period, { ...options, now: copiedAt });
  const out: Partial<Record<FeedName, Record<string, number>>> = {};
  for (const [feed, values] of Object.entries(fields) as [FeedName, Record<string, number>][]) {
    out[feed] = Object.fromEntries(Object.entries(values).filter(([name]) => PERIOD_LIVE_FIELDS.includes(name)));
  }
  return out;
}

/** The closed years (one HKEYS of a small hash). */
export async function closedYears(redis: Redis, keys: RedisKeys): Promise<Set<number>> {
  return new Set((await redis.hkeys(closedYearKeys(keys.prefix).registry())).map(Number));
}

/** The keys period figures are read through: the frozen copy for closed years, the live buckets otherwise. */
export async function publishedKeys(redis: Redis, keys: RedisKeys): Promise<RedisKeys> {
  return frozenView(keys, await closedYears(redis, keys));
}
