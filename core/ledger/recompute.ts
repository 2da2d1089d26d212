import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { mastersOf } from '../platform/redis.ts';
import { decodeRecords, expandContribution, readLedgerHashes, type Increments } from '../ingest/entity-plan.ts';
import type { ContributionContext } from '../feeds/feed-applier.ts';
import { applierOf } from '../feeds/index.ts';

/** Everything a feed's aggregates should hold, recomputed from its ledger alone. */
export interface Recomputed {
  /** Day-bucket key → field → count (a zero where counts cancel or a row counts 0). */
  buckets: Map<string, Map<string, number>>;
  /** Live-set key → member → score. */
  members: Map<string, Map<string, number>>;
  /** The feed's stored keys besides its ledger, by kind (`keys.feedKeyKind`): what rebuild replaces and verify compares. */
  stored: Record<'bucket' | 'liveSet' | 'stats', string[]>;
  entities: number;
  records: number;
}

const SCAN_COUNT = 10_000;
/** Ledgers read by one read-entities.lua call. */
const READ_CHUNK = 500;

/**
 * Calls `visit` with every ledger entity of `feed` (id, and ledger hash as HGETALL answers it) and returns
 * the feed's other keys met on the way (buckets, live sets, statistics: `keys.feedKeyKind`): one SCAN of
 * the keyspace per feed.
 */
export async function forEachEntity(
  redis: Redis,
  keys: RedisKeys,
  feed: FeedName,
  visit: (entity: string, ledgerHash: readonly string[]) => void,
): Promise<string[]> {
  const prefixLength = keys.ledger(feed, '').length;
  const others: string[] = [];
  // SCAN may return a key twice (when Redis resizes its table meanwhile): an entity counts once.
  const seen = new Set<string>();
  // A feed's keys are in one slot, so on a cluster one master holds them; the others answer empty pages.
  for (const node of mastersOf(redis)) {
    // A SCAN page's ledgers are read in chunks sent at once: this process works through the first while
    // Redis reads the next, and the next page is scanned before this one is done.
    const fetchPage = async (cursor: string) => {
      const [next, found] = await node.scan(cursor, 'MATCH', keys.feedPattern(feed), 'COUNT', SCAN_COUNT);
      const ledgerKeys: string[] = [];
      for (const key of found) {
        if (keys.feedKeyKind(feed, key) !== 'ledger') others.push(key);
        else if (!seen.has(key)) {
          seen.add(key);
          ledgerKeys.push(key);
        }
      }
      const reads: { keys: string[]; ledgers: Promise<string[][]> }[] = [];
      for (let i = 0; i < ledgerKeys.length; i += READ_CHUNK) {
        const chunk = ledgerKeys.slice(i, i + READ_CHUNK);
        const ledgers = readLedgerHashes(node, chunk);
        ledgers.catch(() => undefined); // awaited below, in order
        reads.push({ keys: chunk, ledgers });
      }
      return { next, reads };
    };
    let page = fetchPage('0');
    for (;;) {
      const { next, reads } = await page;
      if (next !== '0') (page = fetchPage(next)).catch(() => undefined); // awaited next turn
      for (const read of reads) {
        const ledgers = await read.ledgers;
        read.keys.forEach((key, i) => visit(key.slice(prefixLength), ledgers[i]!));
      }
      if (next === '0') break;
    }
  }
  return [...new Set(others)];
}

/** Recomputes a feed's day buckets and live sets from its ledger with the same applier the worker uses. */
export async function recomputeFeed(redis: Redis, keys: RedisKeys, feed: FeedName, ctx: ContributionContext): Promise<Recomputed> {
  const applier = applierOf(feed);
  if (!applier) throw new Error(`no applier for feed ${feed}`);
  const buckets: Increments = new Map();
  const members = new Map<string, Map<string, number>>();
  let entities = 0;
  let records = 0;
  const others = await forEachEntity(redis, keys, feed, (entity, hash) => {
    const slots = decodeRecords<{ id: string }>(hash);
    if (slots.size === 0) return;
    entities++;
    records += slots.size;
    const contribution = applier.contribution(entity, slots, ctx);
    expandContribution(feed, contribution, keys, ctx.tz, buckets);
    for (const m of contribution.members ?? []) {
      const key = keys.liveSet(feed, m.set);
      let set = members.get(key);
      if (!set) members.set(key, (set = new Map()));
      set.set(m.member, m.score);
    }
  });
  const stored: Recomputed['stored'] = { bucket: [], liveSet: [], stats: [] };
  for (const key of others) {
    const kind = keys.feedKeyKind(feed, key);
    if (kind === 'bucket' || kind === 'liveSet' || kind === 'stats') stored[kind].push(key);
  }
  return { buckets, members, stored, entities, records };
}
