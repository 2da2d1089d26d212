import { Router } from 'express';
import { AppError } from '../../shared/errors.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../services/auth-service.ts';
import type { TargetsService } from '../services/targets-service.ts';

function parseYear(value: unknown): number {
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('validation_failed', 'year must be YYYY');
  return year;
}

/** Administration: the year's targets (年度指标值). */
export function adminRoutes(auth: AuthService, targets: TargetsService): Router {
  const router = Router();
  router.put('/admin/targets/:year', requireRole(auth, 'admin'), async (req, res) => {
    res.json(await targets.replace(parseYear(req.params.year), req.body));
  });
  router.get('/admin/targets/:year', requireRole(auth, 'manager'), async (req, res) => {
    res.json(await targets.get(parseYear(req.params.year)));
  });
  return router;
}
