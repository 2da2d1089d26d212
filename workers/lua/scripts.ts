import { readFileSync } from 'node:fs';
import type { Redis, Result, ClientContext } from 'ioredis';

/** The Lua scripts of the workers, registered on a connection as custom commands (EVALSHA with EVAL fallback). */

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    /** See apply-entity.lua for KEYS and ARGV. */
    applyEntity(...keysAndArgs: (string | number)[]): Result<string, Context>;
  }
}

const load = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const defined = new WeakSet<Redis>();

export function defineScripts(redis: Redis): void {
  if (defined.has(redis)) return;
  redis.defineCommand('applyEntity', { numberOfKeys: 3, lua: load('apply-entity.lua') });
  defined.add(redis);
}
