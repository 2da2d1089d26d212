import express, { Router, type NextFunction, type Request, type Response } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { isFeedName } from '../../shared/feeds/feed.ts';
import type { IngestResponse } from '../../shared/api-types.ts';
import { msg, renderReasons, type Message } from '../../shared/messages/index.ts';
import { requestLanguage } from '../http/language.ts';
import { requireRole } from '../http/auth.ts';
import { ingestSenderOf, SIGNATURE_TOLERANCE_SECONDS, verifySignature, type IngestSender } from '../http/ingest-auth.ts';
import type { IngestLimiter } from '../http/rate-limit.ts';
import { requestIdOf } from '../http/request-id.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { IngestService } from '../../core/ingest/ingest-service.ts';

const BODY_LIMIT = '10mb';
const NDJSON_TYPES = /^application\/(x-)?(ndjson|jsonl|jsonlines)\b/i;

/** A line of NDJSON that is not JSON stays in the batch as this marker, to be rejected with its index. */
class BadLine {
  readonly reason: Message;

  constructor(reason: Message) {
    this.reason = reason;
  }
}

function parseNdjson(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch (err) {
        return new BadLine(msg('record.bad_json_line', { detail: (err as Error).message }));
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
    throw new AppError('bad_request', msg('http.body_not_json', { detail: (err as Error).message }));
  }
  const events = (body as { events?: unknown } | null)?.events;
  if (!Array.isArray(events)) {
    throw new AppError('bad_request', msg('ingest.bad_body'));
  }
  return events;
}

/**
 * POST /api/ingest/:feed (ingest token or signature) and GET /api/ingest/status (manager). The sender is
 * authenticated and counted against its rate limit before the body is read; a signature, which needs the
 * body, is verified once it is. A signature is spent only by a request whose records were queued, so a
 * sender may retry one refused with 429/503.
 */
export function ingestRoutes(
  ingest: IngestService,
  auth: AuthService,
  options: {
    token: string;
    hmacSecrets: readonly string[];
    /** Marks a signature as spent for `ttlSeconds`; false when it already was (a replay, or the same request still in flight). */
    claimSignature(signature: string, ttlSeconds: number): Promise<boolean>;
    /** Gives a claimed signature back when its request was not accepted. */
    releaseSignature(signature: string): Promise<void>;
    /** Requests per authenticated sender and address, and per address for refused ones (server/http/rate-limit.ts). */
    limiter: IngestLimiter;
  },
): Router {
  const router = Router();
  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    let sender: IngestSender | null = null;
    let refusal: unknown;
    try {
      sender = ingestSenderOf(req, { ...options, nowSeconds: Math.floor(Date.now() / 1000) });
    } catch (err) {
      refusal = err;
    }
    await options.limiter.consume(sender?.kind ?? 'refused', req.ip ?? '-');
    if (!sender) throw refusal;
    res.locals.ingestSender = sender;
    next();
  };
  router.post('/ingest/:feed', authenticate, express.raw({ type: () => true, limit: BODY_LIMIT }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const sender = res.locals.ingestSender as IngestSender;
    if (sender.kind === 'signed') verifySignature(sender, raw, options.hmacSecrets);
    const feed = String(req.params.feed);
    if (!isFeedName(feed)) throw new AppError('not_found', msg('ingest.unknown_feed', { feed }));
    const records = recordsOf(req, raw);
    const signature = sender.kind === 'signed' ? sender.signature.toLowerCase() : null;
    if (signature && !(await options.claimSignature(signature, 2 * SIGNATURE_TOLERANCE_SECONDS))) {
      throw new AppError('unauthorized', msg('ingest.replay'));
    }
    const badLines = new Map<number, Message>();
    records.forEach((r, i) => r instanceof BadLine && badLines.set(i, r.reason));
    const result = await ingest
      .ingest(
        feed,
        records.map((r) => (r instanceof BadLine ? null : r)),
        requestIdOf(res),
      )
      .catch(async (err: unknown) => {
        if (signature) await options.releaseSignature(signature).catch(() => undefined);
        throw err;
      });
    // The reasons in the request's language, with their codes (API.md "Additions (v2)").
    const lang = requestLanguage(req);
    const body: IngestResponse = {
      ...result,
      rejected: result.rejected.map((r) => ({
        index: r.index,
        ...renderReasons(badLines.has(r.index) ? [badLines.get(r.index)!] : r.errors, lang),
      })),
    };
    res.setHeader('Content-Language', lang).vary('Accept-Language').status(202).json(body);
  });
  router.get('/ingest/status', requireRole(auth, 'manager'), async (_req, res) => {
    res.json(await ingest.status());
  });
  return router;
}
