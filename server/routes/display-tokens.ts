import { Router } from 'express';
import { z } from 'zod';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { principalOf, requireRole } from '../http/auth.ts';
import type { AuditService } from '../../core/services/audit-service.ts';
import type { AuthService } from '../../core/services/auth-service.ts';
import type { DisplayToken, DisplayTokenCreated } from '../../shared/console-types.ts';

export const displayTokenBody = z.object({ name: z.string().trim().min(1).max(64) });

/**
 * Display tokens for wall screens (admin): list, create (the clear token and the wall URL are shown once),
 * revoke (its screens are disconnected at once). `connectedScreens(id)` counts this server's sockets.
 */
export function displayTokenRoutes(auth: AuthService, audit: AuditService, connectedScreens: (id: string) => number): Router {
  const router = Router();
  const admins = requireRole(auth, 'admin');
  router.get('/admin/display-tokens', admins, async (_req, res) => {
    const items = await auth.listDisplayTokens();
    res.json({ items: items.map((t): DisplayToken => ({ ...t, connected: connectedScreens(t.id) })) });
  });
  router.post('/admin/display-tokens', admins, async (req, res) => {
    const body = displayTokenBody.safeParse(req.body);
    if (!body.success) throw new AppError('validation_failed', msg('display_token.bad_name'));
    const { token, id } = await auth.createDisplayToken(body.data.name);
    await audit.record(principalOf(res).username, 'display-token.create', body.data.name, { id });
    const created = (await auth.listDisplayTokens()).find((t) => t.id === id)!;
    res.status(201).json({
      id,
      name: created.name,
      createdAt: created.createdAt,
      token,
      wallUrl: `/wall?token=${encodeURIComponent(token)}&kiosk=1`,
    } satisfies DisplayTokenCreated);
  });
  router.delete('/admin/display-tokens/:id', admins, async (req, res) => {
    const id = String(req.params.id);
    if (!(await auth.revokeDisplayToken(id))) throw new AppError('not_found', msg('display_token.not_found', { id }));
    await audit.record(principalOf(res).username, 'display-token.revoke', id);
    res.status(204).end();
  });
  return router;
}
