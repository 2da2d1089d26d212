import { Router } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { BudgetService } from '../../core/services/budget-service.ts';
import { BUDGET_FIELDS } from '../../shared/budget.ts';

function parseYear(value: unknown): number {
  const year = Number(value);
  if (!Number.isInteger(year) || year < 2000 || year > 2100) throw new AppError('validation_failed', msg('budget.bad_year'));
  return year;
}

/** Administration: a year's budget execution (API.md v2), for the 自评表. `GET` answers 404 until it is entered. */
export function budgetRoutes(auth: AuthService, budget: BudgetService, audit: AuditService): Router {
  const router = Router();
  router.put('/admin/budget/:year', requireRole(auth, 'admin'), async (req, res) => {
    const year = parseYear(req.params.year);
    const actor = principalOf(res).username;
    const saved = await budget.put(year, req.body, actor);
    const amounts = Object.fromEntries(BUDGET_FIELDS.map((f) => [f, saved[f]]));
    await audit.record(actor, 'budget.replace', String(year), { ...amounts, executionRatePct: saved.executionRatePct });
    res.json(saved);
  });
  router.get('/admin/budget/:year', requireRole(auth, 'admin'), async (req, res) => {
    const year = parseYear(req.params.year);
    const saved = await budget.get(year);
    if (!saved) throw new AppError('not_found', msg('budget.not_found', { year }));
    res.json(saved);
  });
  return router;
}
