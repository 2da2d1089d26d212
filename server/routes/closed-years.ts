import { Writable } from 'node:stream';
import { Router } from 'express';
import { createCoreContext } from '../../core/context.ts';
import { ExportService } from '../../core/export/export-service.ts';
import { withIngestPaused } from '../../core/ledger/ledger-service.ts';
import { AppError } from '../../core/platform/errors.ts';
import { ClosedYearService } from '../../core/services/closed-year/closed-year-service.ts';
import { FIRST_CLOSABLE_YEAR, LAST_YEAR } from '../../shared/closed-year.ts';
import { EXPORT_FORMATS } from '../../shared/console-types.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { msg } from '../../shared/messages/index.ts';
import type { AppDeps } from '../app.ts';
import { principalOf, requireRole } from '../http/auth.ts';

const wholeYear = (year: number) => ({ from: `${year}-01-01`, to: `${year}-12-31` });

function parseYear(value: unknown): number {
  const text = String(value);
  const year = Number(text);
  if (!/^\d{4}$/.test(text) || year < FIRST_CLOSABLE_YEAR || year > LAST_YEAR)
    throw new AppError('validation_failed', msg('year.bad_year', { value: text }));
  return year;
}

/** The closed year (封账, API.md v2): close and reopen (administrators, audited), and the year's state with its adjustments (managers). */
export function closedYearRoutes(deps: AppDeps): Router {
  const ctx = createCoreContext({ redis: deps.redis, keys: deps.keys, log: deps.log, tz: deps.tz });
  const feeds = FEED_NAMES.filter((f) => deps.ingest.isSupported(f));
  const kpiOptions = { targets: deps.targets, reference: deps.reference };
  const years = new ClosedYearService(
    ctx,
    feeds,
    kpiOptions,
    async (frozenCtx, kpis, year, evidenceSha256) =>
      new ExportService(frozenCtx, kpis, deps.targets, deps.exportTemplates, deps.audit).produce(
        wholeYear(year),
        EXPORT_FORMATS,
        undefined,
        evidenceSha256,
      ),
    deps.audit,
    (work) => withIngestPaused(deps.redisUrl, deps.keys, feeds, work),
    async (frozenCtx, kpis, year) => {
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _encoding, done) {
          chunks.push(chunk);
          done();
        },
      });
      const exports = new ExportService(frozenCtx, kpis, deps.targets, deps.exportTemplates, deps.audit);
      const { manifestSha256 } = await exports.evidencePack(wholeYear(year), sink);
      return { data: Buffer.concat(chunks), manifestSha256 };
    },
  );
  const router = Router();
  const admins = requireRole(deps.auth, 'admin');
  // Managers read it too: the console marks a closed year's figures (已封账 · 其后补录 N 条) for whoever views them.
  router.get('/admin/years/:year', requireRole(deps.auth, 'manager'), async (req, res) => {
    res.json(await years.status(parseYear(req.params.year)));
  });
  router.post('/admin/years/:year/close', admins, async (req, res) => {
    res.json(await years.close(parseYear(req.params.year), principalOf(res).username));
  });
  router.delete('/admin/years/:year/close', admins, async (req, res) => {
    res.json(await years.reopen(parseYear(req.params.year), principalOf(res).username));
  });
  return router;
}
