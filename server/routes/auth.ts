import express, { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { bearerToken, principalOf, requireRole } from '../http/auth.ts';
import type { LoginLimiter } from '../http/rate-limit.ts';

export const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/**
 * POST /api/auth/login {username, password} → { token, role, username, expiresInSeconds }.
 * Every attempt takes its rate-limit point first: too many from one address (for one username, or in
 * all) → 429 with Retry-After, the password unchecked; refusals are in the audit log, one entry per address and hour with their count.
 * POST /api/auth/logout (a session's holder) → 204: the token is refused at once and its sockets are dropped.
 */
export function authRoutes(auth: AuthService, audit: AuditService, limiter: LoginLimiter): Router {
  const router = Router();
  // The one body read before sign-in: a username and a password, so a few KB.
  router.post('/auth/login', express.json({ limit: '8kb' }), async (req, res) => {
    const body = loginBody.safeParse(req.body);
    if (!body.success) throw new AppError('validation_failed', msg('auth.credentials_required'));
    const { username, password } = body.data;
    const ip = req.ip ?? '-';
    await limiter.consume(username, ip).catch(async (err: unknown) => {
      if (err instanceof AppError && err.code === 'rate_limited') await audit.recordLoginRefusal(ip, username, 'rate_limited');
      throw err;
    });
    const session = await auth.login(username, password).catch(async (err: unknown) => {
      if (err instanceof AppError && err.code === 'unauthorized') await audit.recordLoginRefusal(ip, username, 'wrong_password');
      throw err;
    });
    await limiter.recordSuccess(username, ip);
    await audit.record(username, 'login', username, { ip, role: session.role });
    res.json(session);
  });
  router.post('/auth/logout', requireRole(auth, 'manager'), async (req, res) => {
    await auth.logout(bearerToken(req)!);
    const { username } = principalOf(res);
    await audit.record(username, 'logout', username, { ip: req.ip ?? '-' });
    res.status(204).end();
  });
  return router;
}
