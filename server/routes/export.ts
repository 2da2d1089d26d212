import { Router, type Response } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import {
  CONTENT_TYPES,
  EXPORT_FORMATS,
  parseExportPeriod,
  parseFormats,
  type ExportFile,
  type ExportFormat,
  type ExportService,
} from '../../core/export/export-service.ts';
import type { TemplateStore } from '../../core/export/template-store.ts';

function sendFile(res: Response, file: ExportFile): void {
  const ascii = file.fileName.replace(/[^\x20-\x7e]/g, '').replace(/^_+/, '') || `export.${file.format}`;
  res
    .type(CONTENT_TYPES[file.format])
    .set('Content-Disposition', `attachment; filename="pulse-${ascii}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`)
    .send(file.data);
}

function parseFormat(value: unknown): ExportFormat {
  const format = String(value ?? '').toLowerCase();
  if (!(EXPORT_FORMATS as readonly string[]).includes(format))
    throw new AppError('validation_failed', msg('export.bad_format', { allowed: EXPORT_FORMATS.join(', ') }));
  return format as ExportFormat;
}

/**
 * The year-end export (REPORT.md): one file at once (`GET /api/export/annual`), or in the background with
 * progress for the console (`POST /api/exports`, poll `GET /api/exports/:id`, download its files), and its
 * templates (`/api/admin/export-templates`). Every export goes to the audit log.
 */
export function exportRoutes(exports: ExportService, templates: TemplateStore, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  const managers = requireRole(auth, 'manager');
  const admins = requireRole(auth, 'admin');

  router.get('/export/annual', managers, async (req, res) => {
    const period = parseExportPeriod(req.query);
    const format = parseFormat(req.query.format ?? 'docx');
    const [file] = await exports.produce(period, [format]);
    await exports.recordAudit(principalOf(res).username, period, [format]);
    sendFile(res, file!);
  });

  router.post('/exports', managers, async (req, res) => {
    const body = (req.body ?? {}) as { from?: unknown; to?: unknown; year?: unknown; formats?: unknown };
    const period = parseExportPeriod(body);
    const formats = parseFormats(body.formats);
    res.status(202).json({ exportId: await exports.start(period, formats, principalOf(res).username) });
  });

  router.get('/exports/:id', managers, async (req, res) => {
    const status = await exports.status(String(req.params.id));
    if (!status) throw new AppError('not_found', msg('export.not_found'));
    res.json(status);
  });

  router.get('/exports/:id/files/:format', managers, async (req, res) => {
    const file = await exports.file(String(req.params.id), parseFormat(req.params.format));
    if (!file) throw new AppError('not_found', msg('export.no_file'));
    sendFile(res, file);
  });

  router.get('/admin/export-templates', managers, async (_req, res) => {
    res.json({ items: await templates.list() });
  });

  router.put('/admin/export-templates/:id', admins, async (req, res) => {
    const id = String(req.params.id);
    const saved = await templates.put(id, (req.body as { content?: unknown } | undefined)?.content);
    await audit.record(principalOf(res).username, 'template.replace', id, { chars: saved.content.length });
    res.json(saved);
  });

  router.delete('/admin/export-templates/:id', admins, async (req, res) => {
    const id = String(req.params.id);
    await templates.remove(id);
    await audit.record(principalOf(res).username, 'template.replace', id, { restoredDefault: true });
    res.status(204).end();
  });
  return router;
}
