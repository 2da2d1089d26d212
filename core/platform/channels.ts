import type { ChainableCommander, Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { ImportProgress } from '../../shared/socket-events.ts';
import type { LocalDay } from '../../shared/time.ts';
import type { RedisKeys } from './redis-keys.ts';

/** A worker applied a batch (`feed`, the local days whose buckets changed), or the ledger rebuilt every feed (`'all'`, no days). */
export interface ChangedMessage {
  feed: FeedName | 'all';
  /** Local days (TZ_REPORT) whose buckets changed; empty means "anything may have changed" (rebuild, replayed batch). */
  days: LocalDay[];
}

/** A revocation announced by whichever server revoked: every server disconnects the matching sockets. */
export type Revocation = { kind: 'display-token'; id: string } | { kind: 'session'; id: string } | { kind: 'user'; username: string };

/** What each Redis pub/sub channel carries (JSON): the only messages published between Pulse's processes. */
export interface ChannelMessages {
  changed: ChangedMessage;
  import: ImportProgress;
  revoked: Revocation;
  /** The active hotspots or a review changed (core/analytics/hotspot-store.ts): servers send `hotspots` to their sockets. */
  hotspots: { at: string };
}

export type ChannelName = keyof ChannelMessages;

export const CHANNEL_NAMES = ['changed', 'import', 'revoked', 'hotspots'] as const satisfies readonly ChannelName[];

/** The Redis channel of a message kind (key builders in redis-keys.ts). */
export function channelKey(keys: RedisKeys, channel: ChannelName): string {
  switch (channel) {
    case 'changed':
      return keys.changedChannel();
    case 'import':
      return keys.importChannel();
    case 'revoked':
      return keys.revokedChannel();
    case 'hotspots':
      return keys.hotspotsChannel();
  }
}

/** The message kind of a Redis channel name, or null for a channel that is none of Pulse's. */
export function channelNameOf(keys: RedisKeys, redisChannel: string): ChannelName | null {
  return CHANNEL_NAMES.find((name) => channelKey(keys, name) === redisChannel) ?? null;
}

/** Publishes a typed message; on a pipeline or MULTI the publish is queued with the rest (returns the pipeline). */
export function publish<C extends ChannelName>(redis: Redis, keys: RedisKeys, channel: C, message: ChannelMessages[C]): Promise<number>;
export function publish<C extends ChannelName>(
  redis: ChainableCommander,
  keys: RedisKeys,
  channel: C,
  message: ChannelMessages[C],
): ChainableCommander;
export function publish<C extends ChannelName>(
  redis: Redis | ChainableCommander,
  keys: RedisKeys,
  channel: C,
  message: ChannelMessages[C],
): Promise<number> | ChainableCommander {
  return redis.publish(channelKey(keys, channel), JSON.stringify(message));
}

/**
 * Reads a message received on `channel`. Throws on text that is not JSON; a `changed` message
 * without a `days` array (published by an older worker) reads as `days: []` — anything may have changed.
 */
export function parseMessage<C extends ChannelName>(channel: C, raw: string): ChannelMessages[C] {
  const message: unknown = JSON.parse(raw);
  if (channel === 'changed') {
    const changed = message as ChangedMessage;
    if (!Array.isArray(changed.days) || !changed.days.every((d) => typeof d === 'string')) changed.days = [];
  }
  return message as ChannelMessages[C];
}
