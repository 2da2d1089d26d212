import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Redis } from 'ioredis';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { AuditService } from '../../core/services/audit-service.ts';
import { uniquePrefix } from '../support/app.ts';
import { testContext } from '../support/context.ts';

let redis: Redis;
beforeAll(() => {
  redis = new Redis(inject('redisUrl'));
});
afterAll(() => redis.disconnect());

describe('AuditService refused logins', () => {
  it('keeps real entries through a flood of 10,000 refusals: one entry per address and hour, counting them', async () => {
    const keys = redisKeys(uniquePrefix());
    let nowMs = Date.parse('2026-03-02T08:10:00Z');
    const audit = new AuditService(testContext(redis, keys, { now: () => nowMs }));
    await audit.record('admin', 'targets.replace', '2026');
    for (let i = 0; i < 10_000; i += 500) {
      await Promise.all(
        Array.from({ length: 500 }, (_, j) =>
          audit.recordLoginRefusal('10.1.2.3', `guess${i + j}`, j % 2 ? 'rate_limited' : 'wrong_password'),
        ),
      );
    }
    await audit.recordLoginRefusal('10.9.9.9', 'admin', 'wrong_password');
    nowMs += 3_600_000; // the next hour: a new entry for the same address
    await audit.recordLoginRefusal('10.1.2.3', 'admin', 'wrong_password');

    expect(await redis.xlen(keys.audit())).toBe(4);
    const entries = await audit.list({ limit: 10 });
    expect(entries.map((e) => [e.action, e.details?.ip, e.details?.refusals])).toEqual([
      ['login.failed', '10.1.2.3', 1],
      ['login.failed', '10.9.9.9', 1],
      ['login.failed', '10.1.2.3', 10_000],
      ['targets.replace', undefined, undefined],
    ]);
    expect(entries[2]).toMatchObject({
      actor: '-',
      target: 'guess0',
      details: { reason: 'wrong_password', windowStart: '2026-03-02T08:00:00.000Z', windowMinutes: 60 },
    });
  });
});
