import { DEFAULT_MESSAGE_LANGUAGE, renderReasons, type Message, type MessageLanguage } from '../../shared/messages/index.ts';
import type { Redis } from 'ioredis';
import type { ConnectorConfig, ConnectorHealthView, ConnectorMeta, ConnectorState, FeedHealthResponse, FeedHealthView } from './config.ts';
import { connectorMeta } from './config.ts';
import { FEED_NAMES, type FeedName } from '../../shared/feeds/feed.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { localDayHour } from '../../shared/time.ts';
import type { ConnectorRunSummary } from './connector.ts';

/** Days a connector's daily counter is kept. */
const FETCHED_KEEP_SECONDS = 8 * 86_400;
const MAX_ERROR_CHARS = 500;

const iso = (ms: string | undefined) => (ms ? new Date(Number(ms)).toISOString() : null);

/**
 * A connector's health in Redis (`connectorHealth(id)`, `connectorFetched(id, day)`) and the registry of
 * configured connectors (`connectors()`), written by the workers and read by GET /api/feeds/health.
 * One run of a connector happens at a time (its queue's global concurrency is 1), so the
 * read-then-write of the failure count is not racy.
 */
export class ConnectorHealthStore {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly tz: string;
  private readonly now: () => number;

  constructor(redis: Redis, keys: RedisKeys, tz: string, now: () => number = Date.now) {
    this.redis = redis;
    this.keys = keys;
    this.tz = tz;
    this.now = now;
  }

  /** Records the configured connectors (the registry the health API lists); returns the ids registered before that are no longer configured. */
  async register(connectors: readonly ConnectorConfig[]): Promise<string[]> {
    const registry = this.keys.connectors();
    const before = Object.keys(await this.redis.hgetall(registry));
    const ids = new Set(connectors.map((c) => c.id));
    const stale = before.filter((id) => !ids.has(id));
    // A pipeline, not a transaction: the registry and each connector's health hash are in different
    // cluster slots, and registering again is harmless.
    const m = this.redis.pipeline();
    for (const c of connectors) {
      m.hset(registry, c.id, JSON.stringify(connectorMeta(c)));
      m.hsetnx(this.keys.connectorHealth(c.id), 'registeredAt', this.now());
    }
    if (stale.length > 0) m.hdel(registry, ...stale);
    await m.exec();
    return stale;
  }

  async consecutiveFailures(id: string): Promise<number> {
    return Number((await this.redis.hget(this.keys.connectorHealth(id), 'consecutiveFailures')) ?? 0);
  }

  /** The interval the schedule runs at now (ms); null: never changed from the configured one. */
  async currentIntervalMs(id: string): Promise<number | null> {
    const v = await this.redis.hget(this.keys.connectorHealth(id), 'currentIntervalMs');
    return v === null ? null : Number(v);
  }

  async setCurrentIntervalMs(id: string, ms: number): Promise<void> {
    await this.redis.hset(this.keys.connectorHealth(id), 'currentIntervalMs', ms);
  }

  /** A run succeeded: failures reset, `ok`, today's count grows by what was new. */
  async recordSuccess(c: ConnectorConfig, summary: ConnectorRunSummary): Promise<void> {
    const now = this.now();
    const key = this.keys.connectorHealth(c.id);
    const fetched = this.keys.connectorFetched(c.id, localDayHour(now, this.tz).day);
    const taken = c.kind === 'folder' ? (summary.files?.length ?? 0) : summary.received;
    const m = this.redis
      .multi()
      .hset(key, { lastRunAt: now, lastSuccessAt: now, consecutiveFailures: 0, state: 'ok' })
      .incrby(fetched, taken)
      .expire(fetched, FETCHED_KEEP_SECONDS);
    if (taken > 0) m.hset(key, 'lastDataAt', now);
    const problem = summary.problems.at(-1);
    if (problem) m.hset(key, { lastError: problem.slice(0, MAX_ERROR_CHARS), lastErrorAt: now });
    if (summary.rejections.length > 0) m.hset(key, 'lastRejections', JSON.stringify(summary.rejections.slice(0, 10)));
    await m.exec();
  }

  /** A run attempt failed: returns the consecutive failures so far; `failing` from `failAfter` on. */
  async recordFailure(c: ConnectorConfig, message: string): Promise<number> {
    const now = this.now();
    const key = this.keys.connectorHealth(c.id);
    const results = await this.redis
      .multi()
      .hset(key, { lastRunAt: now, lastErrorAt: now, lastError: message.slice(0, MAX_ERROR_CHARS) })
      .hincrby(key, 'consecutiveFailures', 1)
      .exec();
    const failures = Number(results?.[1]?.[1] ?? 1);
    if (failures >= c.failAfter) await this.redis.hset(key, 'state', 'failing');
    return failures;
  }
}

/** failing (stored by the worker) > silent (no new record for longer than expected) > ok. */
export function connectorState(
  meta: ConnectorMeta,
  health: Record<string, string>,
  now: number,
): { state: ConnectorState; silentForSeconds: number } {
  const since = Number(health.lastDataAt ?? health.registeredAt ?? now);
  const silentForSeconds = Math.max(0, (now - since) / 1000);
  if (health.state === 'failing') return { state: 'failing', silentForSeconds };
  return { state: silentForSeconds > meta.expectedIntervalSeconds ? 'silent' : 'ok', silentForSeconds };
}

const STATE_RANK: Record<ConnectorState, number> = { ok: 0, silent: 1, failing: 2 };

/**
 * The feed health view: per configured connector its health, and per feed the last record time,
 * today's ingest statistics and the worst state of the connectors pulling it.
 */
export async function readFeedHealth(
  redis: Redis,
  keys: RedisKeys,
  options: { tz: string; now?: number; lang?: MessageLanguage },
): Promise<FeedHealthResponse> {
  const now = options.now ?? Date.now();
  const day = localDayHour(now, options.tz).day;
  const registry = Object.values(await redis.hgetall(keys.connectors()))
    .map((json) => JSON.parse(json) as ConnectorMeta)
    .sort((a, b) => a.id.localeCompare(b.id));
  const read = redis.pipeline();
  read.hgetall(keys.lastRecordAt());
  for (const feed of FEED_NAMES) read.hgetall(keys.ingestStats(feed, day));
  for (const c of registry) read.hgetall(keys.connectorHealth(c.id)).get(keys.connectorFetched(c.id, day));
  const results = ((await read.exec()) ?? []).map(([err, value]) => {
    if (err) throw err;
    return value;
  });
  const lastRecord = results[0] as Record<string, string>;

  const connectors: ConnectorHealthView[] = registry.map((meta, i) => {
    const health = results[1 + FEED_NAMES.length + 2 * i] as Record<string, string>;
    const fetched = results[2 + FEED_NAMES.length + 2 * i] as string | null;
    const { state, silentForSeconds } = connectorState(meta, health, now);
    return {
      ...meta,
      state,
      lastRunAt: iso(health.lastRunAt),
      lastSuccessAt: iso(health.lastSuccessAt),
      lastDataAt: iso(health.lastDataAt),
      lastErrorAt: iso(health.lastErrorAt),
      lastError: health.lastError ?? null,
      consecutiveFailures: Number(health.consecutiveFailures ?? 0),
      fetchedToday: Number(fetched ?? 0),
      currentIntervalSeconds: health.currentIntervalMs ? Number(health.currentIntervalMs) / 1000 : meta.intervalSeconds,
      silentForSeconds: Math.round(silentForSeconds),
      lastRejections: health.lastRejections
        ? (JSON.parse(health.lastRejections) as { index: number; errors: Message[] }[]).map((r) => ({
            index: r.index,
            ...renderReasons(r.errors, options.lang ?? DEFAULT_MESSAGE_LANGUAGE),
          }))
        : [],
    };
  });

  const feeds = Object.fromEntries(
    FEED_NAMES.map((feed, i): [FeedName, FeedHealthView] => {
      const stats = results[1 + i] as Record<string, string>;
      const mine = connectors.filter((c) => c.feed === feed);
      const worst = mine.reduce<ConnectorState | null>((w, c) => (w === null || STATE_RANK[c.state] > STATE_RANK[w] ? c.state : w), null);
      return [
        feed,
        {
          lastRecordAt: iso(lastRecord[feed]),
          today: Object.fromEntries(Object.entries(stats).map(([k, v]) => [k, Number(v)])),
          state: worst,
          connectors: mine.map((c) => c.id),
        },
      ];
    }),
  ) as Record<FeedName, FeedHealthView>;

  return { at: new Date(now).toISOString(), day, feeds, connectors };
}
