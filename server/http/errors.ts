import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { AppError, httpStatusByCode } from '../../core/platform/errors.ts';
import type { Logger } from '../../core/platform/logger.ts';

/** Body-parser failures arrive as errors with a `type`, a bad percent-encoding in the path as a URIError: the client's fault, not ours. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number }): AppError | null {
  if (err instanceof URIError) return new AppError('bad_request', `the URL has a bad percent-encoding: ${err.message}`);
  if (err.type === 'entity.too.large') {
    const limit = err.limit ?? 0;
    return new AppError('payload_too_large', `request body is over ${limit >= 2 ** 20 ? `${limit / 2 ** 20} MB` : `${limit / 1024} KB`}`);
  }
  if (err.type === 'entity.parse.failed') return new AppError('bad_request', `request body is not valid JSON: ${err.message}`);
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', err.message ?? 'unsupported encoding');
  }
  return null;
}

/** The one place HTTP statuses are chosen: AppError codes → status and `{ error: { code, message, details } }`. */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromBodyParser(err as { type?: string });
    if (!appError) {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    }
    const e = appError ?? new AppError('internal', 'internal error');
    if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds));
    const body: ApiErrorBody = { error: { code: e.code, message: e.message, ...(e.details !== undefined && { details: e.details }) } };
    res.status(httpStatusByCode[e.code]).json(body);
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', `no route ${req.method} ${req.path}`));
};
