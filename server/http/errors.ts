import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { ApiErrorBody } from '../../shared/api-types.ts';
import { AppError, httpStatusByCode } from '../../core/platform/errors.ts';
import type { Logger } from '../../core/platform/logger.ts';
import { msg, renderDeep, renderMessage } from '../../shared/messages/index.ts';
import { requestLanguage } from './language.ts';

/** Body-parser failures arrive as errors with a `type`, a bad percent-encoding in the path as a URIError: the client's fault, not ours. */
function fromBodyParser(err: { type?: string; message?: string; limit?: number }): AppError | null {
  if (err instanceof URIError) return new AppError('bad_request', msg('http.bad_url_encoding'));
  if (err.type === 'entity.too.large') {
    const limit = err.limit ?? 0;
    return new AppError(
      'payload_too_large',
      msg('http.body_too_large', { limit: limit >= 2 ** 20 ? `${limit / 2 ** 20} MB` : `${limit / 1024} KB` }),
    );
  }
  if (err.type === 'entity.parse.failed') return new AppError('bad_request', msg('http.body_not_json', { detail: err.message ?? '' }));
  if (err.type === 'encoding.unsupported' || err.type === 'charset.unsupported') {
    return new AppError('unsupported_media_type', msg('http.unsupported_encoding', { detail: err.message ?? '' }));
  }
  return null;
}

/**
 * The one place HTTP statuses are chosen: AppError codes → status and `{ error: { code, reason, message,
 * details } }`, `message` and the messages in `details` rendered in the request's Accept-Language;
 * `code` is the coarse class (v1), `reason` the catalogue's specific, language-free code.
 */
export function errorHandler(log: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = err instanceof AppError ? err : fromBodyParser(err as { type?: string });
    if (!appError) {
      log.error({ err, method: req.method, path: req.path }, 'unhandled error');
    }
    const e = appError ?? new AppError('internal', msg('http.internal'));
    if (e.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(e.retryAfterSeconds));
    const lang = requestLanguage(req);
    res.setHeader('Content-Language', lang);
    res.vary('Accept-Language');
    const body: ApiErrorBody = {
      error: {
        code: e.code,
        reason: e.reason.code,
        message: renderMessage(e.reason, lang),
        ...(e.details !== undefined && { details: renderDeep(e.details, lang) }),
      },
    };
    res.status(httpStatusByCode[e.code]).json(body);
  };
}

export const notFound: RequestHandler = (req, _res, next) => {
  next(new AppError('not_found', msg('http.no_route', { method: req.method, path: req.path })));
};
