import { Router } from 'express';
import type { z } from 'zod';
import { AppError, zodIssues } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import { createUserBody, updateUserBody, type UserService } from '../../core/services/user-service.ts';

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body, { reportInput: true });
  if (!parsed.success) {
    throw new AppError('validation_failed', msg('input.invalid', { count: parsed.error.issues.length }), zodIssues(parsed.error.issues));
  }
  return parsed.data;
}

/**
 * Users (admin): GET /api/admin/users, POST /api/admin/users {username, password, role} → 201,
 * PATCH /api/admin/users/:username {role?, password?, disabled?}, DELETE /api/admin/users/:username → 204.
 * Every change is audit-logged (never the password).
 */
export function userRoutes(users: UserService, auth: AuthService, audit: AuditService): Router {
  const router = Router();
  const admins = requireRole(auth, 'admin');
  router.get('/admin/users', admins, async (_req, res) => {
    res.json({ items: await users.list() });
  });
  router.post('/admin/users', admins, async (req, res) => {
    const body = parse(createUserBody, req.body);
    const user = await users.create(body);
    await audit.record(principalOf(res).username, 'user.create', user.username, { role: user.role });
    res.status(201).json(user);
  });
  router.patch('/admin/users/:username', admins, async (req, res) => {
    const change = parse(updateUserBody, req.body);
    const username = String(req.params.username);
    const { user, sessionsEnded } = await users.update(username, change);
    await audit.record(principalOf(res).username, 'user.update', username, {
      ...(change.role !== undefined && { role: change.role }),
      ...(change.disabled !== undefined && { disabled: change.disabled }),
      ...(change.password !== undefined && { passwordChanged: true }),
      sessionsEnded,
    });
    res.json(user);
  });
  router.delete('/admin/users/:username', admins, async (req, res) => {
    const username = String(req.params.username);
    await users.delete(username);
    await audit.record(principalOf(res).username, 'user.delete', username);
    res.status(204).end();
  });
  return router;
}
