import type { FeedRecord } from './context.ts';
import type { FeedName } from './year.ts';

/**
 * The simulator's HTTP client for `POST /api/ingest/<feed>` (API.md), as an outside sender speaks it:
 * bearer ingest token, `{ "events": [...] }`, and the retries API.md asks of senders — 429 (backlog) and
 * 503 (Redis away) after `Retry-After`, network errors and other 5xx with a growing backoff — always
 * with the same body, so nothing is lost and nothing counts twice.
 */

/** The 202 answer: records queued, and the ones refused with their index and reasons. */
export interface IngestAnswer {
  accepted: number;
  rejected: { index: number; errors: string[] }[];
  batchId: string | null;
}

/** A batch Pulse refused whole and that retrying cannot fix (400, 401, 404, 413 …). */
export class IngestRefusedError extends Error {
  override readonly name = 'IngestRefusedError';
  readonly feed: FeedName;
  readonly status: number;
  readonly body: string;

  constructor(feed: FeedName, status: number, body: string) {
    super(`POST /api/ingest/${feed}: ${status} ${body.slice(0, 300)}`);
    this.feed = feed;
    this.status = status;
    this.body = body;
  }
}

export interface RetryInfo {
  feed: FeedName;
  /** 1 for the first retry. */
  attempt: number;
  waitMs: number;
  /** `429`, `503`, `502` …, or `network`. */
  reason: string;
  error?: Error;
}

export interface PostBatchOptions {
  baseUrl: string;
  ingestToken: string;
  feed: FeedName;
  events: readonly FeedRecord[];
  /** Aborts the request and any wait between retries (the promise rejects with the abort reason). */
  signal?: AbortSignal;
  /** Called before each wait-and-retry. */
  onRetry?: (info: RetryInfo) => void;
  /** Longest wait honoured from `Retry-After` (default 60 s). */
  maxRetryAfterMs?: number;
  /** Longest backoff after network errors (default 15 s). */
  maxBackoffMs?: number;
}

const DEFAULT_RETRY_AFTER_MS = 1_000;
const FIRST_BACKOFF_MS = 500;

/** Waits `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** `Retry-After` in ms: delta-seconds (fractions tolerated) or an HTTP date; `fallbackMs` when absent or unreadable. */
export function retryAfterMs(header: string | null, fallbackMs = DEFAULT_RETRY_AFTER_MS): number {
  if (header === null || header.trim() === '') return fallbackMs;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1_000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? fallbackMs : Math.max(0, date - Date.now());
}

function parseAnswer(text: string): IngestAnswer {
  try {
    const body = JSON.parse(text) as Partial<IngestAnswer>;
    return {
      accepted: Number(body.accepted ?? 0),
      rejected: Array.isArray(body.rejected) ? body.rejected : [],
      batchId: body.batchId ?? null,
    };
  } catch {
    return { accepted: 0, rejected: [], batchId: null };
  }
}

/**
 * POSTs one batch until Pulse accepts it (202) — retrying 429/503 after Retry-After and network errors
 * and other 5xx with backoff, forever, with the same body — or refuses it for good (IngestRefusedError),
 * or `signal` aborts.
 */
export async function postBatch(options: PostBatchOptions): Promise<IngestAnswer> {
  const { feed, signal, onRetry, maxRetryAfterMs = 60_000, maxBackoffMs = 15_000 } = options;
  const url = `${options.baseUrl.replace(/\/+$/, '')}/api/ingest/${feed}`;
  const body = JSON.stringify({ events: options.events });
  let backoffMs = FIRST_BACKOFF_MS;
  for (let attempt = 1; ; attempt++) {
    let waitMs: number;
    let reason: string;
    let error: Error | undefined;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${options.ingestToken}` },
        body,
        ...(signal && { signal }),
      });
      const text = await res.text();
      if (res.status === 202 || res.status === 200) return parseAnswer(text);
      reason = String(res.status);
      if (res.status === 429 || res.status === 503) {
        waitMs = Math.min(maxRetryAfterMs, retryAfterMs(res.headers.get('retry-after')));
        if (res.status === 503) error = new Error(`POST /api/ingest/${feed}: 503 ${text.slice(0, 200)}`);
      } else if (res.status >= 500 || res.status === 408) {
        waitMs = backoffMs;
        backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
        error = new Error(`POST /api/ingest/${feed}: ${res.status} ${text.slice(0, 200)}`);
      } else {
        throw new IngestRefusedError(feed, res.status, text);
      }
    } catch (err) {
      if (err instanceof IngestRefusedError || signal?.aborted) throw err;
      reason = 'network';
      error = err instanceof Error ? err : new Error(String(err));
      waitMs = backoffMs;
      backoffMs = Math.min(maxBackoffMs, backoffMs * 2);
    }
    onRetry?.({ feed, attempt, waitMs, reason, ...(error && { error }) });
    await sleep(waitMs, signal);
  }
}
