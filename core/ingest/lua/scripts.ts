import { readFileSync } from 'node:fs';
import type { Redis, Result, ClientContext } from 'ioredis';

/** The Lua scripts of the workers (count-received.lua the server's too, tickets-page.lua the hotspot detector's), registered on a connection as custom commands (EVALSHA with EVAL fallback). */

declare module 'ioredis' {
  interface RedisCommander<Context extends ClientContext> {
    /** See apply-entities.lua for KEYS and ARGV. */
    applyEntities(statsKey: string, conflictsKey: string, totalsKey: string, args: (string | number)[]): Result<number, Context>;
    /** See read-entities.lua: `numberOfKeys` first, then the ledger keys. */
    readEntities(numberOfKeys: number, ledgerKeys: string[]): Result<string[][], Context>;
    /** See tickets-page.lua. */
    ticketsPage(ticketsKey: string, min: number, max: number, offset: number, count: number): Result<[number, string], Context>;
    /** See count-received.lua. */
    countReceived(statsKey: string, appliedKey: string, totalsKey: string, received: number, rejected: number): Result<number, Context>;
  }
}

const load = (name: string) => readFileSync(new URL(`./${name}`, import.meta.url), 'utf8');
const defined = new WeakSet<Redis>();

export function defineScripts(redis: Redis): void {
  if (defined.has(redis)) return;
  redis.defineCommand('applyEntities', { numberOfKeys: 3, lua: load('apply-entities.lua') });
  redis.defineCommand('readEntities', { lua: load('read-entities.lua') });
  redis.defineCommand('countReceived', { numberOfKeys: 3, lua: load('count-received.lua') });
  redis.defineCommand('ticketsPage', { numberOfKeys: 1, lua: load('tickets-page.lua') });
  defined.add(redis);
}
