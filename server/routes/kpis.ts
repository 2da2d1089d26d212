import { Router } from 'express';
import type { SeriesInterval } from '../../shared/api-types.ts';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { parsePeriod, type KpiService } from '../../core/services/kpi-service.ts';

const INTERVALS: readonly SeriesInterval[] = ['hour', 'day', 'week', 'month'];

/** `where=category:城市管理` (repeatable, in drill-path order) → `[["category", "城市管理"]]`. */
function parseWhere(query: unknown): [string, string][] {
  if (query === undefined || query === '') return [];
  const items = Array.isArray(query) ? query : [query];
  return items.map((item) => {
    const text = typeof item === 'string' ? item : '';
    const colon = text.indexOf(':');
    if (colon <= 0 || colon === text.length - 1) throw new AppError('validation_failed', msg('kpi.bad_where'));
    return [text.slice(0, colon), text.slice(colon + 1)];
  });
}

/** GET /api/kpis and GET /api/kpis/series (manager, display). */
export function kpiRoutes(kpis: KpiService, auth: AuthService): Router {
  const router = Router();
  const readers = requireRole(auth, 'manager', 'display');
  router.get('/kpis', readers, async (req, res) => {
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const groupBy = req.query.groupBy === undefined || req.query.groupBy === '' ? undefined : String(req.query.groupBy);
    res.json(await kpis.getKpis(from, to, groupBy, parseWhere(req.query.where)));
  });
  router.get('/kpis/series', readers, async (req, res) => {
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const interval = String(req.query.interval ?? 'day') as SeriesInterval;
    if (!INTERVALS.includes(interval)) throw new AppError('validation_failed', msg('kpi.bad_interval', { allowed: INTERVALS.join(', ') }));
    const ids = String(req.query.ids ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    res.json(await kpis.getSeries(ids, from, to, interval));
  });
  return router;
}
