import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../shared/errors.ts';
import type { AuthService } from '../services/auth-service.ts';

const loginBody = z.object({ username: z.string().min(1).max(64), password: z.string().min(1).max(256) });

/** POST /api/auth/login {username, password} → { token, role, username, expiresInSeconds }. */
export function authRoutes(auth: AuthService): Router {
  const router = Router();
  router.post('/auth/login', async (req, res) => {
    const body = loginBody.safeParse(req.body);
    if (!body.success) throw new AppError('validation_failed', 'username and password are required');
    res.json(await auth.login(body.data.username, body.data.password));
  });
  return router;
}
