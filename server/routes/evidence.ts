import { Router } from 'express';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { parseExportPeriod, type ExportService } from '../../core/export/export-service.ts';
import { periodSlug } from '../../core/export/period-label.ts';

/**
 * `GET /api/export/evidence?year=YYYY` (or `from`/`to`, the export's period rules): the evidence pack
 * (佐证材料, REPORT.md v2), a ZIP streamed to the response as it is built (core/export/evidence-pack.ts).
 * Audited like an export.
 */
export function evidenceRoutes(exports: ExportService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  router.get('/export/evidence', requireRole(auth, 'manager'), async (req, res) => {
    const period = parseExportPeriod(req.query);
    await audit.record(principalOf(res).username, 'export', `${period.from}~${period.to}`, { ...period, evidence: true });
    const name = `佐证材料_${periodSlug(period)}.zip`;
    res
      .type('application/zip')
      .set(
        'Content-Disposition',
        `attachment; filename="pulse-evidence-${periodSlug(period)}.zip"; filename*=UTF-8''${encodeURIComponent(name)}`,
      );
    // A closed year's pack is the one made at close, whose manifest hash its stored DOCX prints (same bytes).
    const stored = await exports.storedEvidence(period);
    if (stored) {
      res.send(stored);
      return;
    }
    try {
      await exports.evidencePack(period, res);
    } catch (err) {
      // Once the ZIP has started the status is sent: the client sees a cut-off download, never a whole-looking one.
      if (!res.headersSent) throw err;
      res.destroy(err instanceof Error ? err : new Error(String(err)));
    }
  });
  return router;
}
