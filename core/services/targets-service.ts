import type { Redis } from 'ioredis';
import { z } from 'zod';
import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { Target } from '../../shared/console-types.ts';
import type { CoreContext } from '../context.ts';

export const targetSchema = z.object({ target: z.number().finite(), direction: z.enum(['>=', '<=']) });

/** The year's targets per KPI (API.md `PUT /api/admin/targets/:year`), and the status they give a figure. */
export class TargetsService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys } = ctx);
  }

  /** Replaces the targets of `year`; every unknown id or malformed target is reported at once. */
  async replace(year: number, body: unknown): Promise<Record<string, Target>> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError('validation_failed', msg('targets.bad_body'));
    }
    const problems: Message[] = [];
    const targets: Record<string, Target> = {};
    for (const [id, value] of Object.entries(body)) {
      if (!KPI_BY_ID.has(id)) {
        problems.push(msg('targets.unknown_kpi', { id }));
        continue;
      }
      const parsed = targetSchema.safeParse(value);
      if (!parsed.success) problems.push(msg('targets.bad_target', { id }));
      else targets[id] = parsed.data;
    }
    if (problems.length > 0) throw new AppError('validation_failed', msg('targets.not_saved'), problems);
    const key = this.keys.targets(year);
    const multi = this.redis.multi().del(key);
    if (Object.keys(targets).length > 0)
      multi.hset(key, Object.fromEntries(Object.entries(targets).map(([id, t]) => [id, JSON.stringify(t)])));
    await multi.exec();
    return targets;
  }

  async get(year: number): Promise<Record<string, Target>> {
    const raw = await this.redis.hgetall(this.keys.targets(year));
    return Object.fromEntries(Object.entries(raw).map(([id, json]) => [id, JSON.parse(json) as Target]));
  }
}

/**
 * Adds target and status to each figure: `met` / `not_met` against its target (a figure that cannot be
 * computed, value null, has not met it), `no_target` where none is set.
 */
export function withTargets(kpis: Record<string, KpiValue>, targets: Record<string, Target> | null): Record<string, KpiValue> {
  if (!targets) return kpis;
  const out: Record<string, KpiValue> = {};
  for (const [id, value] of Object.entries(kpis)) {
    const t = targets[id];
    if (!t) out[id] = { ...value, status: 'no_target' };
    else {
      const met = value.value !== null && (t.direction === '>=' ? value.value >= t.target : value.value <= t.target);
      out[id] = { ...value, target: t.target, status: met ? 'met' : 'not_met' };
    }
  }
  return out;
}
