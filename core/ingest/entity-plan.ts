import type { Redis } from 'ioredis';
import { DRILL_PATHS, encodeDimValue } from '../../shared/feeds/dimensions.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { dayStartUtc, localDayHour, type LocalDay } from '../../shared/time.ts';
import type { Contribution, ContributionContext, FeedApplier } from '../feeds/feed-applier.ts';
import { defineScripts } from './lua/scripts.ts';

/** What happened to one delivered record. */
export type ApplyOutcome = 'new' | 'replay' | 'duplicate' | 'conflict' | 'replaced' | 'superseded';

/** A record as the ledger stores it: who delivered it, and its canonical content. */
export interface StoredRecord<R> {
  origin: string;
  content: string;
  record: R;
}

export interface Delivery<R> {
  record: R;
  /** `<batchId>:<index>`: identifies this delivery, so a retried job is recognised. */
  origin: string;
}

const pad2 = (h: number) => (h < 10 ? `0${h}` : String(h));

/** Canonical content of a record: its JSON without `id`, in the feed module's key order. */
export function canonicalContent(record: { id: string }): string {
  // Records carry `id` first (withId): their JSON without that first member, without copying the record.
  const json = JSON.stringify(record);
  const prefix = `{"id":${JSON.stringify(record.id)},`;
  if (json.startsWith(prefix)) return `{${json.slice(prefix.length)}`;
  const { id: _id, ...content } = record;
  return JSON.stringify(content);
}

/** An entity's ledger: its version and its records by slot. */
export interface LedgerEntity<R> {
  version: string;
  slots: Map<string, StoredRecord<R>>;
}

/** The record of a slot's value `<origin>\n<id>\n<content>` (newlines at `first`, `second`): its content parsed, its id set. */
function slotRecord<R>(value: string, content: string, first: number, second: number): R {
  const record = JSON.parse(content) as Record<string, unknown>; // the content never holds `id` (canonicalContent)
  record.id = value.slice(first + 1, second);
  return record as R;
}

/** Parses an entity's ledger hash as HGETALL answers it in a script reply: field, value, field, value, … */
export function decodeEntity<R>(hash: readonly string[]): LedgerEntity<R> {
  const slots = new Map<string, StoredRecord<R>>();
  let version = '0';
  for (let f = 0; f < hash.length; f += 2) {
    const slot = hash[f]!;
    const value = hash[f + 1]!;
    if (slot === '_v') {
      version = value;
      continue;
    }
    const first = value.indexOf('\n');
    const second = value.indexOf('\n', first + 1);
    const content = value.slice(second + 1);
    slots.set(slot, { origin: value.slice(0, first), content, record: slotRecord<R>(value, content, first, second) });
  }
  return { version, slots };
}

/** An entity's records by slot from its ledger hash (as decodeEntity, without origins and contents: what rebuild reads). */
export function decodeRecords<R>(hash: readonly string[]): Map<string, R> {
  const records = new Map<string, R>();
  for (let f = 0; f < hash.length; f += 2) {
    const slot = hash[f]!;
    if (slot === '_v') continue;
    const value = hash[f + 1]!;
    const first = value.indexOf('\n');
    const second = value.indexOf('\n', first + 1);
    records.set(slot, slotRecord<R>(value, value.slice(second + 1), first, second));
  }
  return records;
}

/** Reads entities' ledger hashes in one script call (read-entities.lua); refused (`REFUSED key …`) when a key is not a hash. */
export async function readLedgerHashes(redis: Redis, ledgerKeys: string[]): Promise<string[][]> {
  if (ledgerKeys.length === 0) return [];
  defineScripts(redis);
  return redis.readEntities(ledgerKeys.length, ledgerKeys);
}

/** Reads and decodes entities' ledgers (readLedgerHashes, decodeEntity). */
export async function readEntities<R>(redis: Redis, ledgerKeys: string[]): Promise<LedgerEntity<R>[]> {
  return (await readLedgerHashes(redis, ledgerKeys)).map((hash) => decodeEntity<R>(hash));
}

/** An entity's records by slot, as its applier reads them. */
export function recordsBySlot<R>(slots: Map<string, StoredRecord<R>>): Map<string, R> {
  const records = new Map<string, R>();
  for (const [slot, s] of slots) records.set(slot, s.record);
  return records;
}

/** Bucket increments: bucket key → field → n (zeros possible where changes cancel). */
export type Increments = Map<string, Map<string, number>>;

function addTo(bucket: Map<string, number>, field: string, n: number): void {
  bucket.set(field, (bucket.get(field) ?? 0) + n);
}

/**
 * Interned strings of the hot path: the same bucket keys and field names recur across a batch and a
 * rebuild. Looked up through nested maps, so a lookup builds no string (a rebuild makes millions).
 */
type BucketKeys = [total: string, hour: string, dim: string, month: string, path2: string, path3: string];
const bucketKeyCache = new WeakMap<RedisKeys, Map<FeedName, Map<LocalDay, BucketKeys>>>();
let bucketKeyCount = 0;

function bucketKeysOf(keys: RedisKeys, feed: FeedName, day: LocalDay): BucketKeys {
  let byFeed = bucketKeyCache.get(keys);
  if (!byFeed) bucketKeyCache.set(keys, (byFeed = new Map()));
  let byDay = byFeed.get(feed);
  if (!byDay) byFeed.set(feed, (byDay = new Map()));
  let cached = byDay.get(day);
  if (!cached) {
    if (++bucketKeyCount > 20_000) {
      byDay.clear();
      bucketKeyCount = 0;
    }
    cached = [
      keys.dayBucket(feed, day),
      keys.dayHourBucket(feed, day),
      keys.dayDimBucket(feed, day),
      keys.monthBucket(feed, day.slice(0, 7)),
      keys.dayPathBucket(feed, day, 2),
      keys.dayPathBucket(feed, day, 3),
    ];
    byDay.set(day, cached);
  }
  return cached;
}

/**
 * The bucket maps of an Increments by a day's interned key tuple (bucketKeysOf), each found in the
 * Increments once: an entry reaches its buckets without looking each key up (a rebuild adds millions).
 */
type BucketMaps = (Map<string, number> | undefined)[];
const bucketMapCache = new WeakMap<Increments, Map<BucketKeys, BucketMaps>>();

function bucketMapsOf(into: Increments, keys: BucketKeys): BucketMaps {
  let byKeys = bucketMapCache.get(into);
  if (!byKeys) bucketMapCache.set(into, (byKeys = new Map()));
  let maps = byKeys.get(keys);
  if (!maps) byKeys.set(keys, (maps = []));
  return maps;
}

/** Bucket `i` of `keys` in `into`, created when first added to. */
function bucketIn(into: Increments, maps: BucketMaps, keys: BucketKeys, i: number): Map<string, number> {
  let bucket = maps[i];
  if (!bucket) {
    const key = keys[i]!;
    bucket = into.get(key);
    if (!bucket) into.set(key, (bucket = new Map()));
    maps[i] = bucket;
  }
  return bucket;
}

/** Positions in BucketKeys. */
const TOTAL = 0;
const HOUR = 1;
const DIM = 2;
const MONTH = 3;
const PATH2 = 4;
const PATH3 = 5;

/** Field names by field, then by a part that needs no building: hour (`<field>@07`), dimension and value, path suffix. */
const hourNames = new Map<string, string[]>();
const dimNames = new Map<string, Map<string, Map<string, string>>>();
const pathNames = new Map<string, Map<string, string>>();
let fieldNameCount = 0;

/** Counts a new interned name; past 200,000 the caches start again (a year's names are far fewer). */
function interned(): void {
  if (++fieldNameCount <= 200_000) return;
  hourNames.clear();
  dimNames.clear();
  pathNames.clear();
  fieldNameCount = 0;
}

function hourName(field: string, hour: number): string {
  let names = hourNames.get(field);
  if (!names) hourNames.set(field, (names = []));
  let name = names[hour];
  if (name === undefined) {
    interned();
    names[hour] = name = `${field}@${pad2(hour)}`;
  }
  return name;
}

function dimName(field: string, dim: string, value: string): string {
  let byDim = dimNames.get(field);
  if (!byDim) dimNames.set(field, (byDim = new Map()));
  let byValue = byDim.get(dim);
  if (!byValue) byDim.set(dim, (byValue = new Map()));
  let name = byValue.get(value);
  if (name === undefined) {
    interned();
    byValue.set(value, (name = `${field}|${dim}=${encodeDimValue(value)}`));
  }
  return name;
}

function pathName(field: string, suffix: string): string {
  let bySuffix = pathNames.get(field);
  if (!bySuffix) pathNames.set(field, (bySuffix = new Map()));
  let name = bySuffix.get(suffix);
  if (name === undefined) {
    interned();
    bySuffix.set(suffix, (name = field + suffix));
  }
  return name;
}

/** Adds a contribution's bucket increments (times `sign`) into `into`; the local days it touches go to `days`. */
export function expandContribution(
  feed: FeedName,
  contribution: Contribution,
  keys: RedisKeys,
  tz: string,
  into: Increments = new Map(),
  sign = 1,
  days?: Set<LocalDay>,
): Increments {
  const drillPath = DRILL_PATHS[feed];
  for (const entry of contribution.entries) {
    const n = (entry.n ?? 1) * sign;
    const { day, hour } = localDayHour(entry.at, tz);
    days?.add(day);
    const bucketKeys = bucketKeysOf(keys, feed, day);
    const maps = bucketMapsOf(into, bucketKeys);
    addTo(bucketIn(into, maps, bucketKeys, TOTAL), entry.field, n);
    addTo(bucketIn(into, maps, bucketKeys, MONTH), entry.field, n);
    addTo(bucketIn(into, maps, bucketKeys, HOUR), hourName(entry.field, hour), n);
    if (!entry.dims) continue;
    for (const dim in entry.dims) {
      const value = entry.dims[dim];
      if (value !== undefined && value !== '') {
        addTo(bucketIn(into, maps, bucketKeys, DIM), dimName(entry.field, dim, value), n);
      }
    }
    if (!drillPath) continue;
    const suffixes = pathSuffixes(entry.dims, drillPath);
    for (let i = 0; i < suffixes.length; i++) {
      // The drill-down fields: `<field><suffix>` for each path suffix, in the hash of its depth.
      addTo(bucketIn(into, maps, bucketKeys, i === 0 ? PATH2 : PATH3), pathName(entry.field, suffixes[i]!), n);
    }
  }
  return into;
}

/**
 * The path suffixes of one `dims` object (`|hall=A>window=3`, `|hall=A>window=3>service=B`): each prefix of
 * two or more levels of the feed's drill path, as far as the values go (shared/feeds/dimensions.ts DRILL_PATHS).
 * The entries of a contribution share their `dims` object, so a contribution computes them once.
 */
const pathSuffixCache = new WeakMap<object, string[]>();

function pathSuffixes(dims: Readonly<Record<string, string | undefined>>, drillPath: readonly string[]): string[] {
  let suffixes = pathSuffixCache.get(dims);
  if (suffixes) return suffixes;
  suffixes = [];
  let path = '';
  for (let level = 0; level < drillPath.length; level++) {
    const dim = drillPath[level]!;
    const value = dims[dim];
    if (value === undefined || value === '') break;
    path += `${level === 0 ? '|' : '>'}${dim}=${encodeDimValue(value)}`;
    if (level > 0) suffixes.push(path);
  }
  pathSuffixCache.set(dims, suffixes);
  return suffixes;
}

type Members = ReadonlyMap<string, { score: number; set: string }>;
const NO_MEMBERS: Members = new Map();

/** Live-set members of a contribution: `<setKey>\u0000<member>` → score and set name. */
function membersOf(feed: FeedName, contribution: Contribution, keys: RedisKeys): Members {
  if (!contribution.members?.length) return NO_MEMBERS;
  return new Map(contribution.members.map((m) => [`${keys.liveSet(feed, m.set)}\u0000${m.member}`, { score: m.score, set: m.set }]));
}

/** What an entity holding no records contributes: nothing (every feed's applier, tests/unit/entity-plan.test.ts). */
const NOTHING: Contribution = { entries: [] };

export interface EntityPlan {
  outcomes: ApplyOutcome[];
  ledgerWrites: [slot: string, value: string][];
  conflicts: string[];
  members: [key: string, member: string, score: number | ''][];
  days: Set<LocalDay>;
}

/**
 * Decides, against the entity's current ledger, what each delivery is (new, a replayed delivery, a
 * duplicate, a conflict, or for snapshot rows a replacement or a superseded row), and adds what the
 * figures must change by — the entity's contribution after, minus before — into `increments`.
 */
export function planEntity<R extends { id: string }>(
  applier: FeedApplier<R>,
  entity: string,
  current: Map<string, StoredRecord<R>>,
  deliveries: Delivery<R>[],
  keys: RedisKeys,
  ctx: ContributionContext,
  processedAt: number,
  /** Where the figures' change goes, shared by a chunk's plans. */
  increments: Increments,
): EntityPlan {
  // A new entity (most of a live day's records) skips its applier for the contribution it had before.
  const before = current.size === 0 ? NOTHING : applier.contribution(entity, recordsBySlot(current), ctx);
  const slots = current; // the caller's map, read afresh for each planning round: deliveries are stored into it
  const plan: EntityPlan = { outcomes: [], ledgerWrites: [], conflicts: [], members: [], days: new Set() };
  const written = new Set<string>();

  for (const { record, origin } of deliveries) {
    const slot = applier.slotOf(record);
    const content = canonicalContent(record);
    const existing = slots.get(slot);
    let outcome: ApplyOutcome;
    if (!existing) outcome = 'new';
    else if (existing.origin === origin) outcome = 'replay';
    else if (existing.content === content) outcome = 'duplicate';
    else {
      const incoming = applier.snapshot?.(record);
      if (incoming) {
        const kept = applier.snapshot!(existing.record)?.asOf;
        outcome = incoming.asOf !== undefined && kept !== undefined && incoming.asOf < kept ? 'superseded' : 'replaced';
      } else outcome = 'conflict';
    }
    plan.outcomes.push(outcome);
    if (outcome === 'new' || outcome === 'replaced') {
      slots.set(slot, { origin, content, record });
      written.add(slot);
    } else if (outcome === 'conflict') {
      plan.conflicts.push(JSON.stringify({ key: `${entity}|${slot}`, at: processedAt, kept: existing!.content, refused: content }));
    }
  }
  for (const slot of written) {
    const s = slots.get(slot)!;
    plan.ledgerWrites.push([slot, `${s.origin}\n${s.record.id}\n${s.content}`]);
  }
  if (written.size === 0) return plan;

  const after = applier.contribution(entity, recordsBySlot(slots), ctx);
  expandContribution(applier.feed, after, keys, ctx.tz, increments, 1, plan.days);
  expandContribution(applier.feed, before, keys, ctx.tz, increments, -1, plan.days);
  const membersBefore = membersOf(applier.feed, before, keys);
  const membersAfter = membersOf(applier.feed, after, keys);
  if (membersBefore.size === 0 && membersAfter.size === 0) return plan;
  // Live figures are today's: a changed member makes the batch touch today, unless its set counts only
  // members scored from today and both its scores (before and after) are older (a history batch).
  const today = localDayHour(processedAt, ctx.tz).day;
  let todayStart: number | undefined;
  const touchesToday = (set: string, ...scores: (number | undefined)[]) => {
    if (!applier.todayOnlyLiveSets?.includes(set)) return true;
    todayStart ??= dayStartUtc(today, ctx.tz);
    return scores.some((score) => score !== undefined && score >= todayStart!);
  };
  let changesToday = false;
  for (const [k, { score, set }] of membersAfter) {
    const old = membersBefore.get(k)?.score;
    if (old === score) continue;
    plan.members.push([...(k.split('\u0000') as [string, string]), score]);
    changesToday ||= touchesToday(set, old, score);
  }
  for (const [k, { score, set }] of membersBefore) {
    if (membersAfter.has(k)) continue;
    plan.members.push([...(k.split('\u0000') as [string, string]), '']);
    changesToday ||= touchesToday(set, score);
  }
  if (changesToday) plan.days.add(today);
  return plan;
}
