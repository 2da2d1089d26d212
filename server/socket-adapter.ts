import { createAdapter } from '@socket.io/redis-streams-adapter';
import type { Server as SocketServer } from 'socket.io';
import type { Logger } from '../core/platform/logger.ts';
import { connectRedis } from '../core/platform/redis.ts';
import type { RedisKeys } from '../core/platform/redis-keys.ts';

/** How long the adapter's XREAD blocks, in ms: also how long a stopping server waits for its reader. */
const BLOCK_MS = 1_000;

/**
 * Puts the socket.io Redis Streams adapter under `io`, so that room broadcasts, `fetchSockets()` and
 * `disconnectSockets()` reach the sockets of every server process on the same Redis (or cluster), and
 * a server that loses Redis for a while resumes the stream where it was. Its own connection retries
 * forever (the adapter reads with a blocking XREAD on a duplicate of it). Returns the closer, to call
 * after `io.close()`.
 */
export function attachSocketAdapter(io: SocketServer, redisUrl: string, keys: RedisKeys, log: Logger): () => Promise<void> {
  const redis = connectRedis(redisUrl, 'blocking', 'pulse-server-socket-adapter');
  redis.on('error', (err) => log.debug({ err: err.message }, 'socket adapter redis error'));
  // The adapter reads and subscribes on duplicates of this client, which it ends only after an XREAD
  // returns: with Redis already gone that never happens and the process would not exit. Keep them to end here.
  const duplicates: { disconnect(): void }[] = [];
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = ((...args: Parameters<typeof redis.duplicate>) => {
    const copy = duplicate(...args);
    duplicates.push(copy);
    return copy;
  }) as typeof redis.duplicate;
  io.adapter(
    createAdapter(redis, { streamName: keys.socketIoStream(), channelPrefix: keys.socketIoChannelPrefix(), blockTimeInMs: BLOCK_MS }),
  );
  return async () => {
    for (const copy of duplicates) copy.disconnect();
    await redis.quit().catch(() => redis.disconnect());
  };
}
