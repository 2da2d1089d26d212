import type { Redis } from 'ioredis';
import type { Logger } from '../core/platform/logger.ts';
import type { RedisKeys } from '../core/platform/redis-keys.ts';
import { channelKey, channelNameOf } from '../core/platform/channels.ts';
import type { HotspotStore } from '../core/analytics/hotspot-store.ts';
import type { LiveNamespace, LiveSocket } from './live-service.ts';

/**
 * 未诉先办 on the live stream: every socket of `/live` gets `hotspots { active }` (LiveHotspot: no ticket lists) when it connects, and
 * again whenever a worker's detector or a review changes them (`<p>:hotspots-changed`). Each server
 * relays the message to its own sockets only (`nsp.local`): through the adapter each would get it once per server.
 */
export async function attachHotspotLive(
  nsp: LiveNamespace,
  subscriber: Redis,
  store: HotspotStore,
  keys: RedisKeys,
  log: Logger,
): Promise<void> {
  const send = async (target: LiveSocket | null) => {
    try {
      const active = await store.active();
      if (target) target.emit('hotspots', { active });
      else nsp.local.emit('hotspots', { active });
    } catch (err) {
      log.warn({ err: (err as Error).message }, 'hotspots could not be read for the live stream');
    }
  };
  subscriber.on('message', (redisChannel: string) => {
    if (channelNameOf(keys, redisChannel) === 'hotspots') void send(null);
  });
  await subscriber.subscribe(channelKey(keys, 'hotspots'));
  nsp.on('connection', (socket: LiveSocket) => void send(socket));
}
