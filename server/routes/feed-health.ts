import { Router } from 'express';
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../../core/platform/redis-keys.ts';
import { readFeedHealth } from '../../core/connectors/health.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../../core/services/auth-service.ts';

/**
 * GET /api/feeds/health (manager): per feed the last record time, today's ingest statistics and the
 * worst state of the connectors pulling it; per pull connector its last successful fetch, records
 * fetched today, consecutive failures, last error and state (ok / failing / silent).
 * `tz` is TZ_REPORT ("today" is a local day there); `now` is injected by tests.
 */
export function feedHealthRoutes(redis: Redis, keys: RedisKeys, auth: AuthService, options: { tz?: string; now?: () => number } = {}): Router {
  const router = Router();
  router.get('/feeds/health', requireRole(auth, 'manager'), async (_req, res) => {
    res.json(await readFeedHealth(redis, keys, { tz: options.tz ?? 'Asia/Shanghai', now: (options.now ?? Date.now)() }));
  });
  return router;
}
