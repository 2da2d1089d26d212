import type { CoreContext } from '../context.ts';

/** Redis reachability for GET /api/health; `latencyMs` (a PING's round trip) only when reachable. */
export class HealthService {
  private readonly ctx: CoreContext;

  constructor(ctx: CoreContext) {
    this.ctx = ctx;
  }

  async redis(): Promise<{ reachable: boolean; latencyMs?: number }> {
    const started = performance.now();
    let reachable: boolean;
    try {
      reachable = this.ctx.redis.status === 'ready' && (await this.ctx.redis.ping()) === 'PONG';
    } catch {
      reachable = false;
    }
    return { reachable, ...(reachable && { latencyMs: Math.round((performance.now() - started) * 100) / 100 }) };
  }
}
