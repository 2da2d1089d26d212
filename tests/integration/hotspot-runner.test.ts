import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCoreContext } from '../../core/context.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { HotspotRunner, TICKETS_PAGE } from '../../core/analytics/hotspot-runner.ts';
import { HotspotStore } from '../../core/analytics/hotspot-store.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';

const HOUR_MS = 3_600_000;
const NOW = Date.parse('2026-05-06T02:00:00.000Z');

let server: TestRedis;
let redis: Redis;
let runner: HotspotRunner;
const keys = redisKeys('pulse-hotspot-runner');

beforeAll(async () => {
  server = await startTestRedis();
  redis = new Redis(server.url);
  const ctx = createCoreContext({ redis, keys, log: createLogger('silent', 'test'), tz: 'Asia/Shanghai', now: () => NOW });
  runner = new HotspotRunner(ctx, new HotspotStore(ctx));
});
afterAll(async () => {
  await redis?.quit();
  await server?.stop();
});

describe('the window of recent tickets', () => {
  it('reads a window of several pages whole — tickets signed at one instant across a page end included — and nothing outside it', async () => {
    const key = keys.liveSet('hotline', 'tickets');
    const burst = TICKETS_PAGE + 1_234; // one instant, read over two pages
    const spread = TICKETS_PAGE + 17; // one ticket a second after it
    const members: (string | number)[] = [];
    for (let i = 0; i < burst; i++) members.push(NOW - 10 * HOUR_MS, `城市管理|朝阳街道|B-${i}`);
    for (let i = 0; i < spread; i++) members.push(NOW - 9 * HOUR_MS + i * 1_000, `物业管理||S-${i}`);
    // Encoded places and ids (a `|` in a category), and tickets outside the 48 hours before now.
    members.push(NOW - 47 * HOUR_MS, 'a%7Cb|文艺路街道|T%7C1');
    members.push(NOW - 49 * HOUR_MS, '城市管理|朝阳街道|OLD', NOW + 1, '城市管理|朝阳街道|LATER');
    for (let i = 0; i < members.length; i += 2_000) await redis.zadd(key, ...members.slice(i, i + 2_000));

    const tickets = await runner.recentTickets(NOW);
    expect(tickets).toHaveLength(burst + spread + 1);
    expect(new Set(tickets.map((t) => t.id)).size).toBe(tickets.length);
    expect(tickets.every((t, i) => i === 0 || tickets[i - 1]!.at <= t.at)).toBe(true);
    expect(tickets[0]).toEqual({ id: 'T|1', at: NOW - 47 * HOUR_MS, category: 'a|b', street: '文艺路街道' });
    expect(tickets.filter((t) => t.id.startsWith('B-'))).toHaveLength(burst);
    expect(tickets.find((t) => t.id === 'S-3')).toMatchObject({ category: '物业管理', street: undefined, at: NOW - 9 * HOUR_MS + 3_000 });
    expect(tickets.map((t) => t.id)).not.toContain('OLD');
    expect(tickets.map((t) => t.id)).not.toContain('LATER');
  });
});
