import express, { Router, type Request } from 'express';
import { AppError } from '../../shared/errors.ts';
import { isFeedName } from '../../shared/feeds/feed.ts';
import { secretsEqual, bearerToken, requireRole } from '../http/auth.ts';
import type { AuthService } from '../services/auth-service.ts';
import type { IngestService } from '../services/ingest-service.ts';

const BODY_LIMIT = '10mb';
const NDJSON_TYPES = ['application/x-ndjson', 'application/ndjson', 'application/jsonl'];

/** A line of NDJSON that is not JSON stays in the batch as this marker, to be rejected with its index. */
class BadLine {
  constructor(readonly reason: string) {}
}

function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (err) {
        return new BadLine(`line is not valid JSON: ${(err as Error).message}`);
      }
    });
}

function recordsOf(req: Request): unknown[] {
  if (typeof req.body === 'string') return parseNdjson(req.body);
  const events = (req.body as { events?: unknown } | undefined)?.events;
  if (!Array.isArray(events)) {
    throw new AppError('bad_request', 'expected a JSON body { "events": [...] } or NDJSON (one record a line)');
  }
  return events;
}

/** POST /api/ingest/:feed (ingest token) and GET /api/ingest/status (manager). */
export function ingestRoutes(ingest: IngestService, auth: AuthService, ingestToken: string): Router {
  const router = Router();
  router.post(
    '/ingest/:feed',
    (req, _res, next) => {
      const token = bearerToken(req);
      if (!token || !secretsEqual(token, ingestToken)) {
        return next(new AppError('unauthorized', 'the ingest token is missing or wrong'));
      }
      next();
    },
    express.json({ limit: BODY_LIMIT }),
    express.text({ type: NDJSON_TYPES, limit: BODY_LIMIT }),
    async (req, res) => {
      const feed = String(req.params.feed);
      if (!isFeedName(feed)) throw new AppError('not_found', `unknown feed "${feed}"`);
      const records = recordsOf(req);
      const badLines = new Map<number, string>();
      records.forEach((r, i) => r instanceof BadLine && badLines.set(i, r.reason));
      const result = await ingest.ingest(feed, records.map((r) => (r instanceof BadLine ? null : r)));
      result.rejected = result.rejected.map((r) => (badLines.has(r.index) ? { index: r.index, errors: [badLines.get(r.index)!] } : r));
      res.status(202).json(result);
    },
  );
  router.get('/ingest/status', requireRole(auth, 'manager'), async (_req, res) => {
    res.json(await ingest.status());
  });
  return router;
}
