import { Router } from 'express';
import { requireRole } from '../http/auth.ts';
import { requestLanguage } from '../http/language.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { FeedHealthService } from '../../core/services/feed-health-service.ts';

/**
 * GET /api/feeds/health (manager): per feed the last record time, today's ingest statistics and the
 * worst state of the connectors pulling it; per pull connector its last successful fetch, records
 * fetched today, consecutive failures, last error and state (ok / failing / silent).
 * "Today" is a local day in TZ_REPORT; the clock is the service context's (injected by tests).
 */
export function feedHealthRoutes(feedHealth: FeedHealthService, auth: AuthService): Router {
  const router = Router();
  router.get('/feeds/health', requireRole(auth, 'manager'), async (req, res) => {
    res.json(await feedHealth.read(requestLanguage(req)));
  });
  return router;
}
