import { Router } from 'express';
import type { HealthService } from '../../core/services/health-service.ts';

/** GET /api/health — liveness (always 200 while the process serves) and Redis reachability. */
export function healthRoutes(health: HealthService): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const redis = await health.redis();
    res.json({
      status: redis.reachable ? 'ok' : 'degraded',
      redis,
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  return router;
}
