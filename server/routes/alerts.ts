import { Router } from 'express';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AlertService } from '../../core/services/alert-service.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';

/** The wall's alert thresholds, robot webhook and feed silence limits: read by managers, replaced by admins. */
export function alertRoutes(alerts: AlertService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  router.get('/admin/alerts', requireRole(auth, 'manager'), async (_req, res) => {
    const settings = await alerts.getSettings();
    // The robot URL's user and password, its key (the query) and the signing secret are credentials: only administrators see them.
    if (principalOf(res).role !== 'admin' && settings.webhook) {
      const url = new URL(settings.webhook.url);
      url.username = url.username || url.password ? '…' : '';
      url.password = '';
      url.search = url.search ? '?…' : '';
      res.json({ ...settings, webhook: { kind: settings.webhook.kind, url: url.toString() } });
      return;
    }
    res.json(settings);
  });
  router.put('/admin/alerts', requireRole(auth, 'admin'), async (req, res) => {
    const saved = await alerts.replace(req.body);
    await audit.record(principalOf(res).username, 'thresholds.replace', 'alerts', {
      kpis: Object.keys(saved.thresholds),
      webhook: saved.webhook ? saved.webhook.kind : null,
    });
    res.json(saved);
  });
  return router;
}
