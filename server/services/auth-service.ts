import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';
import type { Redis } from 'ioredis';
import type { LoginResponse, Role } from '../../shared/api-types.ts';
import { AppError } from '../../shared/errors.ts';
import type { RedisKeys } from '../../shared/redis-keys.ts';
import { randomToken } from './secrets.ts';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number, options: object) => Promise<Buffer>;
const SCRYPT = { N: 16_384, r: 8, p: 1 };

/** Who a token belongs to. */
export interface Principal {
  username: string;
  role: Role;
}

interface StoredUser {
  role: Role;
  passwordHash: string;
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
 * an idle expiry; display tokens are long-lived, read-only, and revocable.
 */
export class AuthService {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly sessionTtlSeconds: number,
  ) {}

  /**
   * Makes sure the `admin` user exists. With a configured password the admin's password is set to it;
   * without one, a password is generated only when no admin exists yet and returned to be printed once.
   */
  async ensureAdmin(configuredPassword: string | undefined): Promise<{ generatedPassword?: string }> {
    if (configuredPassword) {
      await this.redis.hset(this.keys.users(), 'admin', JSON.stringify(await this.user('admin', configuredPassword)));
      return {};
    }
    const generatedPassword = randomToken(12);
    const created = await this.redis.hsetnx(
      this.keys.users(),
      'admin',
      JSON.stringify(await this.user('admin', generatedPassword)),
    );
    return created === 1 ? { generatedPassword } : {};
  }

  private async user(role: Role, password: string): Promise<StoredUser> {
    return { role, passwordHash: await hashPassword(password) };
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    const raw = await this.redis.hget(this.keys.users(), username);
    const user = raw ? (JSON.parse(raw) as StoredUser) : null;
    if (!user || !(await verifyPassword(password, user.passwordHash))) {
      throw new AppError('unauthorized', '用户名或密码错误 / wrong username or password');
    }
    const token = randomToken();
    const principal: Principal = { username, role: user.role };
    await this.redis.set(this.keys.session(sha256(token)), JSON.stringify(principal), 'EX', this.sessionTtlSeconds);
    return { token, role: user.role, username, expiresInSeconds: this.sessionTtlSeconds };
  }

  /** The principal of a bearer or display token, or null; a session's idle expiry restarts on use. */
  async resolve(token: string): Promise<Principal | null> {
    const hash = sha256(token);
    const [[, session], [, display]] = (await this.redis
      .pipeline()
      .getex(this.keys.session(hash), 'EX', this.sessionTtlSeconds)
      .hget(this.keys.displayTokens(), hash)
      .exec()) as [[Error | null, string | null], [Error | null, string | null]];
    if (session) return JSON.parse(session) as Principal;
    if (display) return { username: (JSON.parse(display) as { name: string }).name, role: 'display' };
    return null;
  }

  /** Creates a display token for a wall screen; the clear token is returned once. */
  async createDisplayToken(name: string): Promise<{ token: string; id: string }> {
    const token = randomToken();
    const id = sha256(token);
    await this.redis.hset(this.keys.displayTokens(), id, JSON.stringify({ name, createdAt: new Date().toISOString() }));
    return { token, id };
  }
}
