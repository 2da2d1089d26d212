import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { mastersOf, scanAll } from '../platform/redis.ts';
import { expandContribution, readEntities, recordsBySlot, type Increments, type LedgerEntity } from '../ingest/entity-plan.ts';
import type { ContributionContext } from '../feeds/feed-applier.ts';
import { applierOf } from '../feeds/index.ts';

/** Everything a feed's aggregates should hold, recomputed from its ledger alone. */
export interface Recomputed {
  /** Day-bucket key → field → count (a zero where counts cancel or a row counts 0). */
  buckets: Map<string, Map<string, number>>;
  /** Live-set key → member → score. */
  members: Map<string, Map<string, number>>;
  entities: number;
  records: number;
}

const SCAN_COUNT = 2_000;

/** Calls `visit` with every ledger entity of `feed` (id and ledger), one read-entities.lua call per SCAN page. */
export async function forEachEntity(
  redis: Redis,
  keys: RedisKeys,
  feed: FeedName,
  visit: (entity: string, ledger: LedgerEntity<{ id: string }>) => void,
): Promise<void> {
  const prefixLength = keys.ledger(feed, '').length;
  // A feed's ledger is in one slot, so on a cluster one master holds it; the others answer empty pages.
  for (const node of mastersOf(redis)) {
    const fetchPage = async (cursor: string) => {
      const [next, found] = await node.scan(cursor, 'MATCH', keys.ledgerPattern(feed), 'COUNT', SCAN_COUNT);
      return { next, found, ledgers: await readEntities<{ id: string }>(node, found) };
    };
    // Redis reads the next page while this process works through the current one.
    let page = fetchPage('0');
    for (;;) {
      const { next, found, ledgers } = await page;
      if (next !== '0') page = fetchPage(next);
      found.forEach((key, i) => visit(key.slice(prefixLength), ledgers[i]!));
      if (next === '0') break;
    }
  }
}

/** Recomputes a feed's day buckets and live sets from its ledger with the same applier the worker uses. */
export async function recomputeFeed(redis: Redis, keys: RedisKeys, feed: FeedName, ctx: ContributionContext): Promise<Recomputed> {
  const applier = applierOf(feed);
  if (!applier) throw new Error(`no applier for feed ${feed}`);
  const buckets: Increments = new Map();
  const members = new Map<string, Map<string, number>>();
  let entities = 0;
  let records = 0;
  await forEachEntity(redis, keys, feed, (entity, { slots }) => {
    if (slots.size === 0) return;
    entities++;
    records += slots.size;
    const contribution = applier.contribution(entity, recordsBySlot(slots), ctx);
    expandContribution(feed, contribution, keys, ctx.tz, buckets);
    for (const m of contribution.members ?? []) {
      const key = keys.liveSet(feed, m.set);
      let set = members.get(key);
      if (!set) members.set(key, (set = new Map()));
      set.set(m.member, m.score);
    }
  });
  return { buckets, members, entities, records };
}

/** Every existing key of a feed matching `pattern` (day buckets, live sets). */
export async function scanKeys(redis: Redis, pattern: string): Promise<string[]> {
  return scanAll(redis, pattern, SCAN_COUNT);
}
