import { Router } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { isFeedName } from '../../shared/feeds/feed.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';

/**
 * Failed ingest batches (manager): GET /api/console/failed-jobs lists them (feed, batch id, records,
 * attempts, reason); POST /api/console/failed-jobs/:feed/:jobId/retry puts one back on its queue
 * (audit-logged `job.retry`). A retried batch applies exactly once, like any retry.
 */
export function consoleJobRoutes(ingest: IngestService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  const managers = requireRole(auth, 'manager');
  router.get('/console/failed-jobs', managers, async (_req, res) => {
    res.json({ items: await ingest.failedJobs() });
  });
  router.post('/console/failed-jobs/:feed/:jobId/retry', managers, async (req, res) => {
    const feed = String(req.params.feed);
    if (!isFeedName(feed)) throw new AppError('validation_failed', msg('ingest.unknown_feed', { feed }));
    const jobId = String(req.params.jobId);
    await ingest.retryJob(feed, jobId);
    await audit.record(principalOf(res).username, 'job.retry', `${feed}/${jobId}`);
    res.status(202).json({ feed, jobId, state: 'waiting' });
  });
  return router;
}
