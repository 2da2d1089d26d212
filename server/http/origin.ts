import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';

/** Methods that change something: a browser on another site must not be able to send them here. */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Whether a request's `Origin` may talk to this server: no Origin (a server, curl, an ingest
 * sender) passes; the page's own origin (same host and port as the request's `Host`) passes; so
 * does any origin in `allowed` (lower-case `scheme://host[:port]`). `null` and anything unparsable
 * are refused.
 */
export function isAllowedOrigin(origin: string | undefined, host: string | undefined, allowed: readonly string[]): boolean {
  if (origin === undefined || origin === '') return true;
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (host !== undefined && parsed.host === host.toLowerCase()) return true;
  return allowed.includes(parsed.origin.toLowerCase());
}

/** Refuses state-changing requests from another origin with 403 (CSRF defence in depth; tokens are bearer headers). */
export function requireAllowedOrigin(allowed: readonly string[]): RequestHandler {
  return (req, _res, next) => {
    if (!STATE_CHANGING.has(req.method) || isAllowedOrigin(req.get('origin'), req.get('host'), allowed)) return next();
    next(new AppError('forbidden', msg('http.origin_forbidden', { origin: req.get('origin') ?? '' })));
  };
}

/** socket.io's `allowRequest`: the handshake (polling and websocket) of another origin is refused. */
export function allowSocketOrigin(allowed: readonly string[]) {
  return (req: IncomingMessage, callback: (err: string | null | undefined, success: boolean) => void): void => {
    const ok = isAllowedOrigin(req.headers.origin, req.headers.host, allowed);
    callback(ok ? null : 'origin not allowed', ok);
  };
}
