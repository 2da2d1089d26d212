/**
 * `npm run bench -- hotspot-run` — one run of the 未诉先办 detector (core/analytics/hotspot-runner.ts, as its
 * thread runs it) against a real redis-server whose hotline `tickets` index holds WINDOW_TICKETS tickets signed in
 * the last minute, all of one category in one street: the shape of the 10,000 records/s wall bench, where every
 * run re-reads the window and one hotspot gathers every ticket. Per size: a first run (raises the hotspot), then
 * BENCH_REPEAT runs (default 5) timed; Redis's own time per page of the index from INFO commandstats.
 * Writes the section "hotspot-run" of bench/RESULTS.md.
 */
import { Redis } from 'ioredis';
import { createCoreContext } from '../core/context.ts';
import { createLogger } from '../core/platform/logger.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { HotspotRunner, TICKETS_PAGE } from '../core/analytics/hotspot-runner.ts';
import { HotspotStore } from '../core/analytics/hotspot-store.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { fmt, table, writeSection, type MeasuredRow } from './results.ts';

const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 5));
const SIZES = (process.env.WINDOW_TICKETS ?? '22000,220000').split(',').map(Number);
const say = (line: string) => console.log(`  [hotspot-run] ${line}`);

const rows: MeasuredRow[] = [];
for (const size of SIZES) {
  const redis = await startTestRedis();
  const client = new Redis(redis.url);
  try {
    const keys = redisKeys('pulse');
    const now = Date.now();
    const ctx = createCoreContext({ redis: client, keys, log: createLogger('silent', 'bench'), tz: 'Asia/Shanghai', now: () => now });
    const tickets = keys.liveSet('hotline', 'tickets');
    for (let i = 0; i < size; i += 10_000) {
      const args: (string | number)[] = [];
      for (let k = i; k < Math.min(size, i + 10_000); k++)
        args.push(now - 60_000 + Math.floor((k * 60_000) / size), `城市管理|朝阳街道|WL-${k}`);
      await client.zadd(tickets, ...args);
    }
    const runner = new HotspotRunner(ctx, new HotspotStore(ctx));
    const first = await runner.run();
    say(`${fmt(size)} tickets: first run raised ${first.raised.length}`);
    await client.config('RESETSTAT');
    const ms: number[] = [];
    for (let r = 0; r < REPEAT; r++) {
      const started = performance.now();
      await runner.run();
      ms.push(performance.now() - started);
    }
    const stats = await client.info('commandstats');
    const page = /cmdstat_zrangebyscore:calls=(\d+),usec=(\d+)/.exec(stats);
    const pageMs = page ? Number(page[2]) / Number(page[1]) / 1000 : 0;
    say(`${fmt(size)} tickets: runs ${ms.map((m) => fmt(m)).join(', ')} ms; Redis ${fmt(pageMs, 1)} ms a page`);
    rows.push(
      { label: `one run, ${fmt(size)} tickets in the window (one hotspot holding them all)`, unit: 'ms', values: ms },
      {
        label: `  Redis's time per page of ${fmt(TICKETS_PAGE)} tickets (tickets-page.lua), ${Math.ceil(size / TICKETS_PAGE)} pages a run`,
        unit: 'ms',
        values: [pageMs],
        digits: 1,
      },
    );
  } finally {
    client.disconnect();
    await redis.stop();
  }
}

writeSection(
  'hotspot-run',
  [
    `One 未诉先办 detector run (\`HotspotRunner.run\`, in this process as on the worker's detector thread): the window's tickets read in pages, grouped, scored, the hotspot's ticket list accumulated and saved. ${REPEAT} runs after a first that raises the hotspot; tickets all of one category and street, signed in the last minute (the 10,000 records/s wall bench's shape).`,
    '',
    table(rows),
  ].join('\n'),
);
