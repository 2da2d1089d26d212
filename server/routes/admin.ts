import { Router } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { TargetsService } from '../../core/services/targets-service.ts';

function parseYear(value: unknown): number {
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('validation_failed', msg('year.bad'));
  return year;
}

/** Administration: the year's targets (年度指标值) and the audit log. */
export function adminRoutes(auth: AuthService, targets: TargetsService, audit: AuditService): Router {
  const router = Router();
  router.put('/admin/targets/:year', requireRole(auth, 'admin'), async (req, res) => {
    const year = parseYear(req.params.year);
    const saved = await targets.replace(year, req.body);
    await audit.record(principalOf(res).username, 'targets.replace', String(year), { kpis: Object.keys(saved) });
    res.json(saved);
  });
  router.get('/admin/audit', requireRole(auth, 'admin'), async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 100) || 100, 1), 1000);
    const before = typeof req.query.before === 'string' && /^\d+-\d+$/.test(req.query.before) ? req.query.before : undefined;
    res.json({ entries: await audit.list({ limit, before }) });
  });
  router.get('/admin/targets/:year', requireRole(auth, 'manager'), async (req, res) => {
    res.json(await targets.get(parseYear(req.params.year)));
  });
  return router;
}
