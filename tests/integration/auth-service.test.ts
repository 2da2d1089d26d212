import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { AuthService, hashPassword, verifyPassword } from '../../core/services/auth-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { testContext } from '../support/context.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

const HOUR_MS = 3_600_000;

describe('AuthService sessions', () => {
  it('ends a session at its absolute lifetime however busy it kept', async () => {
    const keys = redisKeys(uniquePrefix());
    let nowMs = Date.parse('2026-03-02T08:00:00Z');
    const auth = new AuthService(testContext(redis, keys, { now: () => nowMs }), 1_800, { sessionMaxSeconds: 12 * 3_600 });
    await redis.hset(keys.users(), 'zhang', JSON.stringify({ role: 'manager', passwordHash: await hashPassword('river-stone-path') }));
    const { token } = await auth.login('zhang', 'river-stone-path');
    // Used every 20 minutes, well inside the 30-minute idle lifetime, for 11 h 40 min.
    for (let i = 0; i < 35; i++) {
      nowMs += 20 * 60_000;
      expect(await auth.resolve(token), `after ${(i + 1) * 20} min`).not.toBeNull();
    }
    nowMs += 20 * 60_000;
    expect(await auth.resolve(token)).toBeNull();
    expect(await redis.exists(keys.session(AuthService.tokenId(token)))).toBe(0);
    nowMs += HOUR_MS;
    expect((await auth.login('zhang', 'river-stone-path')).token).not.toBe(token);
  });
});

describe('AuthService login', () => {
  it('checks a password for an unknown or disabled user against a scrypt hash too, as for a known one', async () => {
    const keys = redisKeys(uniquePrefix());
    const verified: string[] = [];
    const verify = (password: string, stored: string) => {
      verified.push(stored);
      return verifyPassword(password, stored);
    };
    const auth = new AuthService(testContext(redis, keys), 600, { verify });
    await redis.hset(
      keys.users(),
      'li',
      JSON.stringify({ role: 'manager', passwordHash: await hashPassword('river-stone-path'), disabled: true }),
    );
    for (const username of ['nobody', 'li', 'li']) {
      await expect(auth.login(username, 'river-stone-path')).rejects.toMatchObject({ code: 'unauthorized' });
    }
    expect(verified).toHaveLength(3);
    for (const stored of verified) expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
  });
});
