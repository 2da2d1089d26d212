import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis connections configured the way each user needs them:
 * - `command`: fails fast while Redis is unreachable (HTTP requests answer 503 instead of hanging);
 * - `blocking`: retries forever (BullMQ workers, pub/sub subscribers), as BullMQ requires.
 */
export type ConnectionRole = 'command' | 'blocking';

export function redisOptions(role: ConnectionRole): RedisOptions {
  return role === 'command'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (n) => Math.min(n * 200, 2_000) }
    : { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2_000) };
}

export function connectRedis(url: string, role: ConnectionRole, connectionName: string): Redis {
  return new Redis(url, { ...redisOptions(role), connectionName });
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
