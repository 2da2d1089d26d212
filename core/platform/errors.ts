import { z } from 'zod';
import { isMessage, msg, renderMessage, type Message, type MessageCode } from '../../shared/messages/index.ts';

/**
 * Operational errors carry a coarse `code` (the HTTP status class, stable for clients) and a `reason`:
 * a message of the catalogue (shared/messages) with its own stable code and params. The edges (HTTP
 * middleware, socket acknowledgements, the worker's failure handler) translate them; the HTTP edge
 * renders `reason` (and any message in `details`) in the request's language. Domain code throws these
 * and never builds an HTTP status or a sentence. `message` is the English rendering, for logs.
 */
export type ErrorCode =
  | 'bad_request'
  | 'validation_failed'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'backlog_full'
  | 'rate_limited'
  | 'redis_unavailable'
  | 'internal';

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: Message;
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    reason: Message,
    /** Anything JSON; messages in it are rendered in the reader's language. */
    details?: unknown,
    /** Seconds a client should wait before retrying (429/503). */
    retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(renderMessage(reason, 'en'), options);
    this.code = code;
    this.reason = reason;
    this.details = details;
    this.retryAfterSeconds = retryAfterSeconds;
    this.name = 'AppError';
  }
}

/** HTTP status for each error code; used only by the HTTP edge. */
export const httpStatusByCode: Record<ErrorCode, number> = {
  bad_request: 400,
  validation_failed: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  backlog_full: 429,
  rate_limited: 429,
  redis_unavailable: 503,
  internal: 500,
};

const ZOD_LOCALES = { zh: z.locales.zhCN().localeError, en: z.locales.en().localeError };

/**
 * A validator's issues as messages: zod's own words in both languages (its zh-CN and en locales),
 * chosen when rendered; parse with `{ reportInput: true }` so they can name the type received. A
 * schema's own message is a catalogue code (`{ message: 'alerts.levels_order' }`), given the issue's `path`.
 */
export function zodIssues(issues: readonly z.core.$ZodIssue[]): Message[] {
  return issues.map((issue) => {
    const path = issue.path.join('.') || 'body';
    if (isMessage({ code: issue.message })) {
      return msg(issue.message as MessageCode, { path });
    }
    const say = (locale: typeof ZOD_LOCALES.en) => {
      const said = locale(issue as Parameters<typeof locale>[0]);
      return typeof said === 'string' ? said : (said?.message ?? issue.message);
    };
    return msg('input.issue', { path, detail: { 'zh-CN': say(ZOD_LOCALES.zh), en: say(ZOD_LOCALES.en) } });
  });
}
