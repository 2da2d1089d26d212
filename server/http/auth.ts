import { timingSafeEqual } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { Role } from '../../shared/api-types.ts';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { AuthService, Principal } from '../../core/services/auth-service.ts';

export function bearerToken(req: Request): string | null {
  const header = req.get('authorization');
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match ? match[1]! : null;
}

/** The principal set by requireRole. */
export const principalOf = (res: Response): Principal => res.locals.principal as Principal;

/** JSON bodies of signed-in requests; only parsed once the token is known (requireRole), up to 1 MB. */
const parseJson = express.json({ limit: '1mb' });

/**
 * Lets a request through only with a bearer token of one of `roles` (admin may do what a manager may),
 * then parses its JSON body: an unknown client is refused before any of its body is read into memory.
 */
export function requireRole(auth: AuthService, ...roles: Role[]): RequestHandler {
  const allowed = new Set<Role>(roles.includes('manager') ? [...roles, 'admin'] : roles);
  return async (req, res, next) => {
    const token = bearerToken(req);
    if (!token) return next(new AppError('unauthorized', msg('auth.token_required')));
    const principal = await auth.resolve(token);
    if (!principal) return next(new AppError('unauthorized', msg('auth.token_unknown')));
    if (!allowed.has(principal.role)) return next(new AppError('forbidden', msg('auth.role_forbidden', { role: principal.role })));
    res.locals.principal = principal;
    parseJson(req, res, next);
  };
}

/** Constant-time comparison of two secrets of any length. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
