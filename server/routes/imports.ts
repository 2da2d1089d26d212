import { rm } from 'node:fs/promises';
import { Router } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg, renderMessage, renderReasons } from '../../shared/messages/index.ts';
import { requestLanguage } from '../http/language.ts';
import { isFeedName } from '../../shared/feeds/feed.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import { receiveUpload } from '../http/upload.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { MAX_IMPORT_BYTES, type ImportService } from '../../core/imports/import-service.ts';
import { toCsv } from '../../core/imports/csv.ts';

function parseColumnMap(text: string | undefined): Record<string, string> | undefined {
  if (!text) return undefined;
  try {
    const map = JSON.parse(text) as unknown;
    if (typeof map === 'object' && map !== null && !Array.isArray(map) && Object.values(map).every((v) => typeof v === 'string')) {
      return map as Record<string, string>;
    }
  } catch {
    // fall through
  }
  throw new AppError('validation_failed', msg('import.column_map_shape'));
}

/** POST /api/imports, GET /api/imports/:id, GET /api/imports/:id/rejected.csv (manager). */
export function importRoutes(imports: ImportService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  const managers = requireRole(auth, 'manager');
  router.post('/imports', managers, async (req, res) => {
    const upload = await receiveUpload(req, MAX_IMPORT_BYTES);
    try {
      const feed = upload.fields.feed ?? '';
      if (!isFeedName(feed)) throw new AppError('validation_failed', msg('upload.feed_field', { feed }));
      const importId = await imports.start(feed, upload.file.path, upload.file.name, {
        columnMap: parseColumnMap(upload.fields.columnMap),
        createdBy: principalOf(res).username,
        removeFileAfter: true,
      });
      await audit.record(principalOf(res).username, 'import', importId, { feed, fileName: upload.file.name });
      res.status(202).json({ importId });
    } catch (err) {
      await rm(upload.file.path, { force: true });
      throw err;
    }
  });
  router.get('/imports/:id', managers, async (req, res) => {
    const progress = await imports.status(String(req.params.id));
    if (!progress) throw new AppError('not_found', msg('import.not_found'));
    const offset = Math.max(0, Number(req.query.offset ?? 0) || 0);
    const limit = Math.min(1000, Math.max(1, Number(req.query.limit ?? 100) || 100));
    // Rendered now, in the reader's language (the rows keep messages, not sentences).
    const lang = requestLanguage(req);
    const rows = await imports.rejected(progress.importId, offset, limit);
    res.setHeader('Content-Language', lang).vary('Accept-Language');
    res.json({
      ...progress,
      ...(progress.errorReason && { error: renderMessage(progress.errorReason, lang) }),
      rejected: rows.map((r) => ({ row: r.row, ...renderReasons(r.errors, lang) })),
    });
  });
  router.get('/imports/:id/rejected.csv', managers, async (req, res) => {
    const progress = await imports.status(String(req.params.id));
    if (!progress) throw new AppError('not_found', msg('import.not_found'));
    const rows = await imports.rejected(progress.importId, 0, Number.MAX_SAFE_INTEGER);
    const lang = requestLanguage(req);
    const name = `${progress.fileName.replace(/\.[^.]+$/, '')}-rejected.csv`;
    res
      .type('text/csv; charset=utf-8')
      .set('Content-Disposition', `attachment; filename*=UTF-8''${encodeURIComponent(name)}`)
      .send(
        toCsv(
          ['行号 row', '原因 reasons'],
          rows.map((r) => [r.row, r.errors.map((m) => renderMessage(m, lang)).join(lang === 'en' ? '; ' : '；')]),
        ),
      );
  });
  return router;
}
