import { rm } from 'node:fs/promises';
import { Router, type Request, type Response } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { receiveUpload } from '../http/upload.ts';
import { MAX_REFERENCE_FILE_BYTES } from '../../core/services/reference-file.ts';
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

/** Replaces a list from the upload's file (multipart `file`), audited as the JSON call is; the file is removed after. */
async function replaceFromUpload<T>(
  req: Request,
  res: Response,
  audit: AuditService,
  list: string,
  replace: (path: string) => Promise<T[]>,
): Promise<void> {
  const upload = await receiveUpload(req, MAX_REFERENCE_FILE_BYTES);
  try {
    const items = await replace(upload.file.path);
    await audit.record(principalOf(res).username, 'reference.replace', list, { items: items.length, fileName: upload.file.name });
    res.json({ items });
  } finally {
    await rm(upload.file.path, { force: true });
  }
}

/**
 * 跨域通办 reference data (API.md): PUT replaces the partner list / item catalogue whole (admin) and
 * answers `{ items }` as stored, recorded in the audit log; GET reads it (manager). Needs the JSON body parser mounted before it.
 * `PUT …/cross-region-partners.csv` and `…/cross-region-items.csv` (admin, API.md v2) do the same from the
 * bureau's spreadsheet (multipart `file`, CSV or XLSX): every bad row named by its row number, nothing
 * replaced unless every row is good.
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
  router.put(`${PARTNERS_PATH}.csv`, admins, async (req, res) => {
    await replaceFromUpload(req, res, audit, 'cross-region-partners', (path) => reference.replacePartnersFromFile(path));
  });
  router.put(`${ITEMS_PATH}.csv`, admins, async (req, res) => {
    await replaceFromUpload(req, res, audit, 'cross-region-items', (path) => reference.replaceItemsFromFile(path));
  });
  router.get(PARTNERS_PATH, readers, async (_req, res) => {
    res.json({ items: await reference.listPartners() });
  });
  router.get(ITEMS_PATH, readers, async (_req, res) => {
    res.json({ items: await reference.listItems() });
  });
  return router;
}
