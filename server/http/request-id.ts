import { randomUUID } from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../../core/platform/logger.ts';
import { routeOf } from './metrics.ts';

/** An incoming X-Request-Id is kept when it is this sane (a proxy's or a sender's id); anything else is replaced. */
const SANE_ID = /^[A-Za-z0-9._:@-]{1,128}$/;

/** The id of the request being answered (set by `requestIds`). */
export const requestIdOf = (res: Response): string => res.locals.requestId as string;

/**
 * Gives every request an id — its sane `X-Request-Id`, else a new UUID — returned in the response's
 * `X-Request-Id`, and writes one access-log line per answered request carrying it (`reqId`), with the
 * route pattern and the path without its query string (which may hold a value a user typed).
 */
export function requestIds(log: Logger): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get('x-request-id');
    const id = incoming !== undefined && SANE_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    const path = req.path; // before routing, the whole path (a router sees its own part)
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      log.info(
        {
          reqId: id,
          method: req.method,
          route: routeOf(req),
          path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          ip: req.ip,
        },
        'request',
      );
    });
    next();
  };
}
