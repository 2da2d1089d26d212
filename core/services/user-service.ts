import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { UserView } from '../../shared/console-types.ts';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import { passwordProblem } from '../platform/password-policy.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { publish } from '../platform/channels.ts';
import { hashPassword } from './auth-service.ts';

/** A user as stored in the `users` hash (AuthService reads role, passwordHash and disabled). */
interface StoredUser {
  role: UserView['role'];
  passwordHash: string;
  disabled?: boolean;
  createdAt?: string;
}

const ROLES = ['admin', 'manager'] as const;
/** Letters (Chinese too), digits, `.`, `_`, `-`; 1–64 characters. */
const usernameSchema = z.string().regex(/^[\p{L}\p{N}._-]{1,64}$/u, 'user.bad_username');
/** Checked against the password policy with its username by the service (core/platform/password-policy.ts). */
const passwordSchema = z.string();

export const createUserBody = z.object({ username: usernameSchema, password: passwordSchema, role: z.enum(ROLES) }).strict();
export const updateUserBody = z
  .object({ role: z.enum(ROLES).optional(), password: passwordSchema.optional(), disabled: z.boolean().optional() })
  .strict()
  .refine(
    (b) => b.role !== undefined || b.password !== undefined || b.disabled !== undefined,
    'nothing to change: give role, password or disabled',
  );

/**
 * The console's users (API.md: admin, manager). Passwords are scrypt hashes (AuthService.hashPassword).
 * Changing a role or password, disabling or deleting a user ends that user's sessions; the caller ends
 * their live sockets (`revokeSessions`). The last enabled administrator cannot be demoted, disabled or deleted.
 */
export class UserService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
  }

  async list(): Promise<UserView[]> {
    const raw = await this.redis.hgetall(this.keys.users());
    return Object.entries(raw)
      .map(([username, json]) => view(username, JSON.parse(json) as StoredUser))
      .sort((a, b) => a.username.localeCompare(b.username));
  }

  /** Creates a user; 'conflict' when the name is taken, 'validation_failed' for a password the policy refuses. */
  async create(body: z.infer<typeof createUserBody>): Promise<UserView> {
    assertPasswordAllowed(body.password, body.username);
    const user: StoredUser = {
      role: body.role,
      passwordHash: await hashPassword(body.password),
      disabled: false,
      createdAt: new Date(this.now()).toISOString(),
    };
    const created = await this.redis.hsetnx(this.keys.users(), body.username, JSON.stringify(user));
    if (created === 0) throw new AppError('conflict', msg('user.exists', { username: body.username }));
    return view(body.username, user);
  }

  /** Changes role, password or disabled; returns the user and whether its sessions were ended. */
  async update(username: string, change: z.infer<typeof updateUserBody>): Promise<{ user: UserView; sessionsEnded: boolean }> {
    const current = await this.get(username);
    if (change.password !== undefined) assertPasswordAllowed(change.password, username);
    const next: StoredUser = { ...current };
    if (change.role !== undefined) next.role = change.role;
    if (change.disabled !== undefined) next.disabled = change.disabled;
    if (change.password !== undefined) next.passwordHash = await hashPassword(change.password);
    const losesAdmin = isActiveAdmin(current) && !isActiveAdmin(next);
    if (losesAdmin) await this.assertAnotherAdmin(username);
    await this.redis.hset(this.keys.users(), username, JSON.stringify(next));
    const endSessions =
      next.role !== current.role || (next.disabled === true && current.disabled !== true) || change.password !== undefined;
    if (endSessions) await this.endSessions(username);
    return { user: view(username, next), sessionsEnded: endSessions };
  }

  async delete(username: string): Promise<void> {
    const current = await this.get(username);
    if (isActiveAdmin(current)) await this.assertAnotherAdmin(username);
    await this.redis.hdel(this.keys.users(), username);
    await this.endSessions(username);
  }

  /** Ends every session of `username` (its bearer tokens stop working at once) and its live sockets. */
  async endSessions(username: string): Promise<void> {
    const indexKey = this.keys.userSessions(username);
    const hashes = await this.redis.smembers(indexKey);
    // One key per command: sessions and the index may sit on different Redis Cluster slots.
    await Promise.all(hashes.map((h) => this.redis.del(this.keys.session(h))));
    await this.redis.del(indexKey);
    await this.revokeSessions(username);
  }

  /** Every server's live service disconnects the sockets of a user whose sessions ended (server/live-service.ts). */
  private async revokeSessions(username: string): Promise<void> {
    await publish(this.redis, this.keys, 'revoked', { kind: 'user', username });
  }

  private async get(username: string): Promise<StoredUser> {
    const raw = await this.redis.hget(this.keys.users(), username);
    if (!raw) throw new AppError('not_found', msg('user.not_found', { username }));
    return JSON.parse(raw) as StoredUser;
  }

  private async assertAnotherAdmin(username: string): Promise<void> {
    const others = (await this.list()).filter((u) => u.username !== username && u.role === 'admin' && !u.disabled);
    if (others.length === 0) {
      throw new AppError('validation_failed', msg('user.last_admin', { username }));
    }
  }
}

/** 'validation_failed' naming the rule a password breaks (core/platform/password-policy.ts). */
function assertPasswordAllowed(password: string, username: string): void {
  const problem = passwordProblem(password, username);
  if (problem) throw new AppError('validation_failed', problem, [problem]);
}

const isActiveAdmin = (u: StoredUser) => u.role === 'admin' && u.disabled !== true;

function view(username: string, user: StoredUser): UserView {
  return { username, role: user.role, disabled: user.disabled === true, createdAt: user.createdAt ?? null };
}
