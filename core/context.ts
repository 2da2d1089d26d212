import type { Redis } from 'ioredis';
import { DEFAULT_SETTINGS, type Settings } from '../shared/settings.ts';
import type { Logger } from './platform/logger.ts';
import type { RedisKeys } from './platform/redis-keys.ts';

/**
 * What every core service is given, built once per process by its entry point
 * (server/server-process.ts, workers/worker-process.ts; all-in-one reuses both).
 * `tz` is TZ_REPORT ("today" is a local day there); `now` is the clock in epoch ms, injected by tests.
 */
export interface CoreContext {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly log: Logger;
  readonly tz: string;
  readonly settings: Settings;
  readonly now: () => number;
}

/** A context from its parts; `settings` default to DEFAULT_SETTINGS and `now` to the system clock. */
export function createCoreContext(parts: {
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  tz: string;
  settings?: Settings;
  now?: () => number;
}): CoreContext {
  return {
    redis: parts.redis,
    keys: parts.keys,
    log: parts.log,
    tz: parts.tz,
    settings: parts.settings ?? DEFAULT_SETTINGS,
    now: parts.now ?? (() => Date.now()),
  };
}
