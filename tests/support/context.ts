import type { Redis } from 'ioredis';
import { createCoreContext, type CoreContext } from '../../core/context.ts';
import { createLogger } from '../../core/platform/logger.ts';
import type { RedisKeys } from '../../core/platform/redis-keys.ts';
import type { Settings } from '../../shared/settings.ts';

/** A service context for tests: a silent logger, TZ Asia/Shanghai unless given. */
export function testContext(
  redis: Redis,
  keys: RedisKeys,
  options: { tz?: string; settings?: Settings; now?: () => number } = {},
): CoreContext {
  return createCoreContext({ redis, keys, log: createLogger('silent', 'test'), tz: options.tz ?? 'Asia/Shanghai', ...options });
}
