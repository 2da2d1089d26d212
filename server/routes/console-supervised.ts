import { Router } from 'express';
import { SUPERVISED_KINDS, type SupervisedKind } from '../../shared/console-types.ts';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { requireRole } from '../http/auth.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { parsePeriod } from '../../core/services/kpi-service.ts';
import type { SupervisedService } from '../../core/services/supervised-service.ts';

/**
 * GET /api/console/supervised?kind=overdue|unresolved|dissatisfied|repeat&from&to[&offset&limit] (manager):
 * the tickets behind the 四类督办 counts, without personal data.
 */
export function consoleSupervisedRoutes(supervised: SupervisedService, auth: AuthService): Router {
  const router = Router();
  router.get('/console/supervised', requireRole(auth, 'manager'), async (req, res) => {
    const kind = String(req.query.kind ?? '') as SupervisedKind;
    if (!SUPERVISED_KINDS.includes(kind))
      throw new AppError('validation_failed', msg('supervised.bad_kind', { allowed: SUPERVISED_KINDS.join(', ') }));
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const offset = Math.max(0, Math.floor(Number(req.query.offset ?? 0)) || 0);
    const limit = Math.min(1000, Math.max(1, Math.floor(Number(req.query.limit ?? 200)) || 200));
    res.json(await supervised.list(kind, from, to, { offset, limit }));
  });
  return router;
}
