import { Router, type Request } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { ReferenceService } from '../../core/services/reference-service.ts';

const PARTNERS_PATH = '/admin/reference/cross-region-partners';
const ITEMS_PATH = '/admin/reference/cross-region-items';

/** The `items` array of a `{ "items": [...] }` body. */
function itemsOf(req: Request): unknown[] {
  const items = (req.body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items)) throw new AppError('bad_request', msg('reference.bad_body'));
  return items;
}

/**
 * 跨域通办 reference data (API.md): PUT replaces the partner list / item catalogue whole (admin) and
 * answers `{ items }` as stored, recorded in the audit log; GET reads it (manager). Needs the JSON body parser mounted before it.
 */
export function referenceRoutes(reference: ReferenceService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  const admins = requireRole(auth, 'admin');
  const readers = requireRole(auth, 'manager');
  router.put(PARTNERS_PATH, admins, async (req, res) => {
    const items = await reference.replacePartners(itemsOf(req));
    await audit.record(principalOf(res).username, 'reference.replace', 'cross-region-partners', { items: items.length });
    res.json({ items });
  });
  router.put(ITEMS_PATH, admins, async (req, res) => {
    const items = await reference.replaceItems(itemsOf(req));
    await audit.record(principalOf(res).username, 'reference.replace', 'cross-region-items', { items: items.length });
    res.json({ items });
  });
  router.get(PARTNERS_PATH, readers, async (_req, res) => {
    res.json({ items: await reference.listPartners() });
  });
  router.get(ITEMS_PATH, readers, async (_req, res) => {
    res.json({ items: await reference.listItems() });
  });
  return router;
}
