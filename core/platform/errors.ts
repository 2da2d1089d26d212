/**
 * Operational errors carry a code; the edges (HTTP middleware, socket acknowledgements, the worker's
 * failure handler) translate them. Domain code throws these and never builds an HTTP status.
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
  readonly details?: unknown;
  readonly retryAfterSeconds?: number;

  constructor(
    code: ErrorCode,
    message: string,
    details?: unknown,
    /** Seconds a client should wait before retrying (429/503). */
    retryAfterSeconds?: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.code = code;
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
