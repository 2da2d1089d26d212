import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { AuditService } from '../services/audit-service.ts';
import type { AuthService } from '../services/auth-service.ts';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** POST /api/auth/login {username, password} → { token, role, username, expiresInSeconds }. */
export function authRoutes(auth: AuthService, audit: AuditService): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = loginBody.safeParse(req.body);
    if (!body.success) throw new AppError('validation_failed', 'username and password are required');
    const { username, password } = body.data;
    const session = await auth.login(username, password).catch(async (err: unknown) => {
      await audit.record('-', 'login.failed', username, { ip: req.ip });
      throw err;
    });
    await audit.record(username, 'login', username, { ip: req.ip, role: session.role });
    res.json(session);
  });
  return router;
}
