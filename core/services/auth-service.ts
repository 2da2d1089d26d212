import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import type { LoginResponse, Role } from '../../shared/api-types.ts';
import type { DisplayToken } from '../../shared/console-types.ts';
import { AppError } from '../platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { publish } from '../platform/channels.ts';
import type { CoreContext } from '../context.ts';
import { randomToken } from './secrets.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16_384, r: 8, p: 1 };

/** Who a token belongs to. */
export interface Principal {
  username: string;
  role: Role;
  /** For a display token: its id (listed and revoked by it). */
  displayTokenId?: string;
}

interface StoredUser {
  role: Role;
  passwordHash: string;
  /** A disabled user cannot sign in (core/services/user-service.ts). */
  disabled?: boolean;
}

/** A stored session: its principal and when it ends however busy it is kept (epoch ms). */
interface StoredSession extends Principal {
  endsAtMs?: number;
}

/** Session lifetimes, the clock and the password check (injected by tests). */
export interface AuthOptions {
  /** Absolute lifetime of a session in seconds, however busy (SESSION_MAX_HOURS); unset: the idle one only. */
  sessionMaxSeconds?: number;
  verify?: (password: string, stored: string) => Promise<boolean>;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** scrypt hash as `scrypt$N$r$p$salt$hash` (base64url parts). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scrypt(password, salt, 32, SCRYPT);
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, N, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const actual = await scrypt(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  });
  return timingSafeEqual(actual, expected);
}

/**
 * Users, sessions and display tokens. Sessions are random bearer tokens stored by their SHA-256 with
 * an idle expiry and an absolute end; display tokens are long-lived, read-only, and revocable.
 */
export class AuthService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly now: () => number;
  private readonly verify: (password: string, stored: string) => Promise<boolean>;
  /** A hash of no one's password, made at start: unknown users are checked against it, as long as a known one. */
  private readonly dummyHash = hashPassword(randomToken());

  private readonly sessionTtlSeconds: number;
  private readonly options: AuthOptions;

  constructor(ctx: CoreContext, sessionTtlSeconds: number, options: AuthOptions = {}) {
    this.sessionTtlSeconds = sessionTtlSeconds;
    this.options = options;
    ({ redis: this.redis, keys: this.keys, now: this.now } = ctx);
    this.verify = options.verify ?? verifyPassword;
  }

  /**
   * Creates `admin` at the first start (no user stored yet): with the configured password, or a generated
   * one returned to be printed once. Afterwards the environment changes nothing: a password changed or an
   * `admin` disabled or deleted in the console stays so across restarts.
   */
  async ensureAdmin(configuredPassword: string | undefined): Promise<{ generatedPassword?: string }> {
    if ((await this.redis.exists(this.keys.users())) === 1) return {};
    const password = configuredPassword ?? randomToken(12);
    const created = await this.redis.hsetnx(this.keys.users(), 'admin', JSON.stringify(await this.user('admin', password)));
    return created === 1 && !configuredPassword ? { generatedPassword: password } : {};
  }

  private async user(role: Role, password: string): Promise<StoredUser> {
    return { role, passwordHash: await hashPassword(password) };
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const raw = await this.redis.hget(this.keys.users(), username);
    const user = raw ? (JSON.parse(raw) as StoredUser) : null;
    // Unknown and disabled users cost one hash check too: how fast the answer comes says nothing of who exists.
    const matches = await this.verify(password, user?.passwordHash ?? (await this.dummyHash));
    if (!user || user.disabled || !matches) {
      throw new AppError('unauthorized', msg('auth.wrong_credentials'));
    }
    const token = randomToken();
    const session: StoredSession = { username, role: user.role };
    if (this.options.sessionMaxSeconds) session.endsAtMs = this.now() + this.options.sessionMaxSeconds * 1000;
    const hash = sha256(token);
    await this.redis.set(this.keys.session(hash), JSON.stringify(session), 'EX', this.sessionTtlSeconds);
    await this.indexSession(username, hash);
    return { token, role: user.role, username, expiresInSeconds: this.sessionTtlSeconds };
  }

  /**
   * Adds a session to its user's index (so a role change, disabling or deleting can end them all) and
   * forgets the indexed sessions that expired. Single-key commands only: the keys may sit on different
   * Redis Cluster slots.
   */
  private async indexSession(username: string, hash: string): Promise<void> {
    const sessionsKey = this.keys.userSessions(username);
    await this.redis.sadd(sessionsKey, hash);
    const known = await this.redis.smembers(sessionsKey);
    const alive = await Promise.all(known.map((h) => this.redis.exists(this.keys.session(h))));
    const expired = known.filter((_, i) => alive[i] === 0);
    if (expired.length > 0) await this.redis.srem(sessionsKey, ...expired);
  }

  /** Ends one session (POST /api/auth/logout) and, on every server, the sockets opened with it. */
  async logout(token: string): Promise<void> {
    const hash = sha256(token);
    const raw = await this.redis.getdel(this.keys.session(hash));
    if (raw) await this.redis.srem(this.keys.userSessions((JSON.parse(raw) as Principal).username), hash);
    await publish(this.redis, this.keys, 'revoked', { kind: 'session', id: hash });
  }

  /**
   * The principal of a bearer or display token, or null; a session's idle expiry restarts on use, and a
   * session past its absolute end is deleted.
   */
  async resolve(token: string): Promise<Principal | null> {
    const hash = sha256(token);
    const [[sessionErr, session], [displayErr, display]] = (await this.redis
      .pipeline()
      .getex(this.keys.session(hash), 'EX', this.sessionTtlSeconds)
      .hget(this.keys.displayTokens(), hash)
      .exec()) as [[Error | null, string | null], [Error | null, string | null]];
    // A pipeline reports a failed command in its result instead of rejecting: Redis unreachable is not
    // "unknown token" (that would log users out and disconnect every wall whenever Redis restarts).
    const failed = sessionErr ?? displayErr;
    if (failed) throw new AppError('redis_unavailable', msg('http.redis_unavailable'), undefined, 5, { cause: failed });
    if (session) {
      const { endsAtMs, ...principal } = JSON.parse(session) as StoredSession;
      if (endsAtMs === undefined || this.now() < endsAtMs) return principal;
      await this.redis.del(this.keys.session(hash));
      return null;
    }
    if (display) return { username: (JSON.parse(display) as { name: string }).name, role: 'display', displayTokenId: hash };
    return null;
  }

  /** Creates a display token for a wall screen; the clear token is returned once. */
  async createDisplayToken(name: string): Promise<{ token: string; id: string }> {
    const token = randomToken();
    const id = sha256(token);
    await this.redis.hset(this.keys.displayTokens(), id, JSON.stringify({ name, createdAt: new Date().toISOString() }));
    return { token, id };
  }

  /** The display tokens (never their clear value), with when a screen last connected with each. */
  async listDisplayTokens(): Promise<Omit<DisplayToken, 'connected'>[]> {
    const [tokens, seen] = await Promise.all([
      this.redis.hgetall(this.keys.displayTokens()),
      this.redis.hgetall(this.keys.displayTokenSeen()),
    ]);
    return Object.entries(tokens)
      .map(([id, raw]) => {
        const { name, createdAt } = JSON.parse(raw) as { name: string; createdAt: string };
        return { id, name, createdAt, lastSeenAt: seen[id] ?? null };
      })
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  /** Revokes a display token and tells every server to disconnect its screens; false when it did not exist. */
  async revokeDisplayToken(id: string): Promise<boolean> {
    const removed = await this.redis.hdel(this.keys.displayTokens(), id);
    await this.redis.hdel(this.keys.displayTokenSeen(), id);
    await publish(this.redis, this.keys, 'revoked', { kind: 'display-token', id });
    return removed === 1;
  }

  /** The id under which a token is stored (display tokens are listed and revoked by it). */
  static tokenId(token: string): string {
    return sha256(token);
  }
}
