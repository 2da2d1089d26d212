import { Router } from 'express';
import type { Redis } from 'ioredis';

/** GET /api/health — liveness (always 200 while the process serves) and Redis reachability. */
export function healthRoutes(redis: Redis): Router {
  const router = Router();
  router.get('/health', async (_req, res) => {
    const started = performance.now();
    let reachable: boolean;
    try {
      reachable = redis.status === 'ready' && (await redis.ping()) === 'PONG';
    } catch {
      reachable = false;
    }
    res.json({
      status: reachable ? 'ok' : 'degraded',
      redis: { reachable, ...(reachable && { latencyMs: Math.round((performance.now() - started) * 100) / 100 }) },
      uptimeSeconds: Math.round(process.uptime()),
    });
  });
  return router;
}
