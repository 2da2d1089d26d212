import { Router } from 'express';
import type { SeriesInterval } from '../../shared/api-types.ts';
import { AppError } from '../../shared/errors.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../services/auth-service.ts';
import { parsePeriod, type KpiService } from '../services/kpi-service.ts';

const INTERVALS: readonly SeriesInterval[] = ['hour', 'day', 'week', 'month'];

/** GET /api/kpis and GET /api/kpis/series (manager, display). */
export function kpiRoutes(kpis: KpiService, auth: AuthService): Router {
  const router = Router();
  const readers = requireRole(auth, 'manager', 'display');
  router.get('/kpis', readers, async (req, res) => {
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const groupBy = req.query.groupBy === undefined || req.query.groupBy === '' ? undefined : String(req.query.groupBy);
    res.json(await kpis.getKpis(from, to, groupBy));
  });
  router.get('/kpis/series', readers, async (req, res) => {
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const interval = String(req.query.interval ?? 'day') as SeriesInterval;
    if (!INTERVALS.includes(interval)) throw new AppError('validation_failed', `interval must be one of ${INTERVALS.join(', ')}`);
    const ids = String(req.query.ids ?? '').split(',').map((s) => s.trim()).filter(Boolean);
    res.json(await kpis.getSeries(ids, from, to, interval));
  });
  return router;
}
