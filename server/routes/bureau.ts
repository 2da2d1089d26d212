import { Router } from 'express';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { BureauService } from '../../core/services/bureau-service.ts';

/**
 * The bureau's name (a setting): `GET /api/bureau` → `{ name }` for anyone (the login page, the wall and
 * the console show it; it is public), `PUT /api/admin/bureau` `{ name }` (admin, audited).
 */
export function bureauRoutes(bureau: BureauService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  router.get('/bureau', async (_req, res) => {
    res.json({ name: await bureau.get() });
  });
  router.put('/admin/bureau', requireRole(auth, 'admin'), async (req, res) => {
    const name = await bureau.set((req.body as { name?: unknown } | undefined)?.name);
    await audit.record(principalOf(res).username, 'bureau.replace', name);
    res.json({ name });
  });
  return router;
}
