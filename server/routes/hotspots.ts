import { Router } from 'express';
import { principalOf, requireRole } from '../http/auth.ts';
import { parsePeriod } from '../../core/services/kpi-service.ts';
import { parseReviewRequest, type HotspotStore } from '../../core/analytics/hotspot-store.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { HotspotsResponse } from '../../shared/analytics/hotspots.ts';
import { addDays, dayStartUtc } from '../../shared/time.ts';

/** 未诉先办 (ANALYTICS.md): the hotspots of a period (manager, display) and their 研判 (manager, audited). */
export function hotspotRoutes(auth: AuthService, store: HotspotStore, audit: AuditService, tz: string): Router {
  const router = Router();
  router.get('/hotline/hotspots', requireRole(auth, 'manager', 'display'), async (req, res) => {
    const { from, to } = parsePeriod(req.query.from, req.query.to);
    const body: HotspotsResponse = { hotspots: await store.list(dayStartUtc(from, tz), dayStartUtc(addDays(to, 1), tz)) };
    res.json(body);
  });
  router.post('/hotline/hotspots/:id/review', requireRole(auth, 'manager'), async (req, res) => {
    const request = parseReviewRequest(req.body);
    const actor = principalOf(res).username;
    const hotspot = await store.review(String(req.params.id), request, actor);
    await audit.record(actor, `hotspot.${request.action}`, hotspot.id, {
      ...(hotspot.category !== undefined && { category: hotspot.category }),
      ...(hotspot.street !== undefined && { street: hotspot.street }),
      ...('department' in request && { department: request.department }),
      ...('note' in request && { note: request.note }),
    });
    res.json(hotspot);
  });
  return router;
}
