import { Router } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { createCoreContext } from '../../core/context.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { CalendarService } from '../../core/projection/calendar-service.ts';
import { ProjectionService, parseProjectionQuery } from '../../core/projection/projection-service.ts';
import type { AppDeps } from '../app.ts';

function parseCalendarYear(value: unknown): number {
  const year = Number(value);
  if (!/^\d{4}$/.test(String(value)) || year < 2000 || year > 2100) throw new AppError('validation_failed', msg('calendar.bad_year'));
  return year;
}

/**
 * 预计全年 (GET /api/kpis/projection, manager) and the working-day calendar (GET/PUT /api/admin/calendar/:year,
 * admin; a change is audited). Both services are built here from the app's dependencies.
 */
export function projectionRoutes(deps: Pick<AppDeps, 'redis' | 'keys' | 'log' | 'tz' | 'auth' | 'audit' | 'targets' | 'ingest'>): Router {
  const ctx = createCoreContext({ redis: deps.redis, keys: deps.keys, log: deps.log, tz: deps.tz });
  const calendar = new CalendarService(ctx);
  const feeds = FEED_NAMES.filter((f) => deps.ingest.isSupported(f));
  const projection = new ProjectionService(ctx, feeds, deps.targets, calendar);
  const router = Router();
  router.get('/kpis/projection', requireRole(deps.auth, 'manager'), async (req, res) => {
    const { year, asOf } = parseProjectionQuery(req.query.year, req.query.asOf, projection.today());
    res.json(await projection.project(year, asOf));
  });
  router.get('/admin/calendar/:year', requireRole(deps.auth, 'admin'), async (req, res) => {
    res.json(await calendar.get(parseCalendarYear(req.params.year)));
  });
  router.put('/admin/calendar/:year', requireRole(deps.auth, 'admin'), async (req, res) => {
    const year = parseCalendarYear(req.params.year);
    const saved = await calendar.replace(year, req.body);
    await deps.audit.record(principalOf(res).username, 'calendar.replace', String(year), {
      holidays: saved.holidays.length,
      workdays: saved.workdays.length,
    });
    res.json(saved);
  });
  return router;
}
