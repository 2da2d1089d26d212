import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../platform/redis-keys.ts';

/** A random token of `bytes` bytes, base64url. */
export const randomToken = (bytes = 24) => randomBytes(bytes).toString('base64url');

/**
 * A secret generated once and shared by every process on this Redis (SET NX), so that several servers
 * agree on it and restarts keep it. `created` is true only in the process that generated it, which is
 * the one that prints it.
 */
export async function getOrCreateSecret(redis: Redis, keys: RedisKeys, name: string): Promise<{ value: string; created: boolean }> {
  const candidate = randomToken();
  const won = await redis.set(keys.secret(name), candidate, 'NX');
  if (won === 'OK') return { value: candidate, created: true };
  const value = await redis.get(keys.secret(name));
  if (value === null) throw new Error(`secret ${name} vanished`);
  return { value, created: false };
}
