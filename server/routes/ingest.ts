import express, { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../../shared/errors.ts';
import { isFeedName } from '../../shared/feeds/feed.ts';
import { requireRole } from '../http/auth.ts';
import { authenticateIngest, SIGNATURE_TOLERANCE_SECONDS } from '../http/ingest-auth.ts';
import type { AuthService } from '../services/auth-service.ts';
import type { IngestService } from '../services/ingest-service.ts';

const BODY_LIMIT = '10mb';
const NDJSON_TYPES = /^application\/(x-)?(ndjson|jsonl|jsonlines)\b/i;

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

/** The records of a request body: `{ "events": [...] }` as JSON, or NDJSON (one record a line). */
function recordsOf(req: Request, raw: Buffer): unknown[] {
  const text = raw.toString('utf8');
  if (NDJSON_TYPES.test(req.get('content-type') ?? '')) return parseNdjson(text);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new AppError('bad_request', `request body is not valid JSON: ${(err as Error).message}`);
  }
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) {
    throw new AppError('bad_request', 'expected a JSON body { "events": [...] } or NDJSON (one record a line)');
  }
  return events;
}

/** POST /api/ingest/:feed (ingest token or signature) and GET /api/ingest/status (manager). */
export function ingestRoutes(
  ingest: IngestService,
  auth: AuthService,
  options: {
    token: string;
    hmacSecrets: readonly string[];
    claimSignature(signature: string, ttlSeconds: number): Promise<boolean>;
    /** Requests per sender (server/http/rate-limit.ts), checked before the body is read. */
    rateLimit: RequestHandler;
  },
): Router {
  const router = Router();
  router.post('/ingest/:feed', options.rateLimit, express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const { signature } = authenticateIngest(req, raw, { ...options, nowSeconds: Math.floor(Date.now() / 1000) });
    const feed = String(req.params.feed);
    if (!isFeedName(feed)) throw new AppError('not_found', `unknown feed "${feed}"`);
    const records = recordsOf(req, raw);
    if (signature && !(await options.claimSignature(signature, 2 * SIGNATURE_TOLERANCE_SECONDS))) {
      throw new AppError('unauthorized', 'this signed request was already received (replay)');
    }
    const badLines = new Map<number, string>();
    records.forEach((r, i) => r instanceof BadLine && badLines.set(i, r.reason));
    const result = await ingest.ingest(feed, records.map((r) => (r instanceof BadLine ? null : r)));
    result.rejected = result.rejected.map((r) => (badLines.has(r.index) ? { index: r.index, errors: [badLines.get(r.index)!] } : r));
    res.status(202).json(result);
  });
  router.get('/ingest/status', requireRole(auth, 'manager'), async (_req, res) => {
    res.json(await ingest.status());
  });
  return router;
}
