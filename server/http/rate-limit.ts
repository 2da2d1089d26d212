import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../../core/platform/errors.ts';
import { msg } from '../../shared/messages/index.ts';
import type { RedisKeys } from '../../core/platform/redis-keys.ts';

/** Limits of the login and ingest endpoints (core/platform/config.ts: LOGIN_*, INGEST_REQUESTS_PER_MINUTE). */
export interface RateLimitOptions {
  loginFailuresPerUserIp: number;
  loginFailuresPerIp: number;
  /** Window of the login failure counts and the longest wait of a limited login, in seconds. */
  loginBlockSeconds: number;
  ingestRequestsPerMinute: number;
}

/** Seconds until a limited caller may try again (at least 1), for Retry-After. */
const retryAfterSeconds = (res: RateLimiterRes) => Math.max(1, Math.ceil(res.msBeforeNext / 1000));

/** The counters are in Redis, as is everything a limited request would touch: unreachable → 503, never a silent pass. */
const unavailable = (err: unknown) => new AppError('redis_unavailable', msg('http.redis_unavailable'), undefined, 5, { cause: err });

/**
 * Login throttling kept in Redis (so every server process shares it): every attempt takes a point
 * per username and address and per address over `loginBlockSeconds`, atomically and before the
 * password is checked, so parallel attempts cannot pass together; beyond either limit attempts are
 * refused with 429. A successful login clears the username-and-address count and gives its
 * address point back, so only failures use up the limits.
 */
export class LoginLimiter {
  private readonly byUserIp: RateLimiterRedis;
  private readonly byIp: RateLimiterRedis;

  constructor(redis: Redis, keys: RedisKeys, options: RateLimitOptions) {
    const common = { storeClient: redis, duration: options.loginBlockSeconds, rejectIfRedisNotReady: true };
    this.byUserIp = new RateLimiterRedis({ ...common, keyPrefix: keys.rateLimit('login-user-ip'), points: options.loginFailuresPerUserIp });
    this.byIp = new RateLimiterRedis({ ...common, keyPrefix: keys.rateLimit('login-ip'), points: options.loginFailuresPerIp });
  }

  private static userIpKey(username: string, ip: string): string {
    return `${username.toLowerCase()}|${ip}`;
  }

  /**
   * Takes one attempt's point per username and address, then per address (an attempt refused for its
   * username costs its address nothing); throws 'rate_limited' (with the seconds to wait) beyond either limit.
   */
  async consume(username: string, ip: string): Promise<void> {
    for (const [limiter, key] of [
      [this.byUserIp, LoginLimiter.userIpKey(username, ip)],
      [this.byIp, ip],
    ] as const) {
      await limiter.consume(key).catch((err: unknown) => {
        if (!(err instanceof RateLimiterRes)) throw unavailable(err);
        const wait = retryAfterSeconds(err);
        throw new AppError('rate_limited', msg('auth.too_many_logins', { seconds: wait }), undefined, wait);
      });
    }
  }

  /** The password was right: the attempt's points were not a failure. */
  async recordSuccess(username: string, ip: string): Promise<void> {
    await Promise.all([this.byUserIp.delete(LoginLimiter.userIpKey(username, ip)), this.byIp.reward(ip)]).catch(() => undefined);
  }
}

/**
 * Ingest requests per minute per sender and address, kept in Redis and counted before the body is read,
 * so a flood costs the server little; over the limit → 429 with Retry-After (senders retry). The sender is
 * what authentication found (`token`, `signed`); requests it refused share one count per address
 * (`refused`), so a wrong token never spends the real one's budget.
 */
export class IngestLimiter {
  private readonly limiter: RateLimiterRedis;

  private readonly options: RateLimitOptions;

  constructor(redis: Redis, keys: RedisKeys, options: RateLimitOptions) {
    this.options = options;
    this.limiter = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: keys.rateLimit('ingest'),
      points: options.ingestRequestsPerMinute,
      duration: 60,
      rejectIfRedisNotReady: true,
    });
  }

  /** Counts one request; throws 'rate_limited' over the limit, 'redis_unavailable' when Redis is unreachable. */
  async consume(sender: 'token' | 'signed' | 'refused', ip: string): Promise<void> {
    try {
      await this.limiter.consume(`${sender}|${ip}`);
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw unavailable(err);
      const message = msg('ingest.rate_limited', { max: this.options.ingestRequestsPerMinute });
      throw new AppError('rate_limited', message, undefined, retryAfterSeconds(err));
    }
  }
}

/**
 * Events one socket.io socket may send per window, counted in memory (a socket lives on one server).
 * Refused events are dropped; `firstOver` tells the one that crossed the limit, for a single notice.
 */
export class EventBudget {
  private windowStartMs = -Infinity;
  private count = 0;

  private readonly maxEvents: number;
  private readonly windowMs: number;
  private readonly now: () => number;

  constructor(maxEvents: number, windowMs: number, now: () => number = Date.now) {
    this.maxEvents = maxEvents;
    this.windowMs = windowMs;
    this.now = now;
  }

  /** Counts one event: null when allowed, else the seconds until the window ends (at least 1). */
  take(): number | null {
    const nowMs = this.now();
    if (nowMs - this.windowStartMs >= this.windowMs) {
      this.windowStartMs = nowMs;
      this.count = 0;
    }
    this.count += 1;
    return this.count <= this.maxEvents ? null : Math.max(1, Math.ceil((this.windowStartMs + this.windowMs - nowMs) / 1000));
  }

  /** The last event taken was the first refused in its window. */
  get firstOver(): boolean {
    return this.count === this.maxEvents + 1;
  }
}
