/**
 * A year of the 2022 report's magnitude sent over HTTP by 4 concurrent senders to one server and one
 * worker process (as `start:server` / `start:worker` run them) until `idle`; against it, in the same
 * run, a naive pipeline of one BullMQ job per record. Then GET /api/kpis p50/p95 for a day, a month
 * and a year; `rebuild` of the year; `verify`; memory. Figures go to bench/RESULTS.md.
 */
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { bullConnection } from '../shared/queues.ts';
import { redisKeys } from '../shared/redis-keys.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { FEED_MODULES } from '../shared/feeds/index.ts';
import type { FeedName } from '../shared/feeds/feed.ts';
import { ApplyService, SUPPORTED_FEEDS } from '../workers/apply-service.ts';
import { rebuildAggregates, verifyAggregates, withIngestPaused } from '../workers/ledger/ledger-service.ts';
import { generateYear } from '../scripts/simulator/year.ts';
import { startTestRedis, freePort } from '../tests/support/redis-server.ts';
import { rssMiB, startProcess, waitForHttp } from './processes.ts';
import { summarize, writeSection } from './results.ts';

const YEAR = 2022;
const SENDERS = 4;
const BATCH = 5_000;
const NAIVE_RECORDS = 40_000;
const ADMIN_PASSWORD = 'bench-admin-password';
const INGEST_TOKEN = 'bench-ingest-token-0123456789';
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};

/** BENCH_SCALE=0.4 gives about the issue's 550,000 records; 1 (default) is the report's full magnitude, 1.36 million. */
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const generated = generateYear({ year: YEAR, seed: 2022, scale: SCALE, previousYear: true });
const batches: { feed: FeedName; body: string; count: number }[] = [];
let total = 0;
for (const [feed, records] of Object.entries(generated.feeds) as [FeedName, object[]][]) {
  for (let i = 0; i < records.length; i += BATCH) {
    const slice = records.slice(i, i + BATCH);
    batches.push({ feed, body: JSON.stringify({ events: slice }), count: slice.length });
    total += slice.length;
  }
}
say(`records: ${total} (${Object.entries(generated.feeds).map(([f, r]) => `${f} ${r.length}`).join(', ')})`);

const redis = await startTestRedis({ appendonly: true });
const port = await freePort();
const env = { REDIS_URL: redis.url, PORT: String(port), HOST: '127.0.0.1', ADMIN_PASSWORD, INGEST_TOKEN, INGEST_MAX_BACKLOG_JOBS: '100000' };
const server = startProcess('server/main.ts', env);
const worker = startProcess('workers/main.ts', env);
const base = `http://127.0.0.1:${port}`;
const client = new Redis(redis.url);

try {
  await waitForHttp(`${base}/api/health`);
  const { token } = (await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) })).json()) as { token: string };

  // 1. Pulse: HTTP → one job per request → entity-planned Lua.
  let next = 0;
  let retries = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let b = next++; b < batches.length; b = next++) {
        const batch = batches[b]!;
        for (;;) {
          const res = await fetch(`${base}/api/ingest/${batch.feed}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` }, body: batch.body });
          if (res.status === 202) {
            const body = (await res.json()) as { accepted: number; rejected: unknown[] };
            if (body.rejected.length > 0) throw new Error(`${batch.feed}: ${body.rejected.length} rejected: ${JSON.stringify(body.rejected.slice(0, 2))}`);
            break;
          }
          retries++;
          await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
        }
      }
    }),
  );
  const acceptedSeconds = (performance.now() - started) / 1000;
  for (;;) {
    const status = (await (await fetch(`${base}/api/ingest/status`, { headers: { authorization: `Bearer ${token}` } })).json()) as { idle: boolean };
    if (status.idle) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const idleSeconds = (performance.now() - started) / 1000;
  const pulseRate = total / idleSeconds;
  say(`Pulse ingest: ${total} records over HTTP, ${SENDERS} senders, batches of ${BATCH}: all 202 after ${acceptedSeconds.toFixed(1)} s, idle after ${idleSeconds.toFixed(1)} s → ${Math.round(pulseRate)} records/s (${retries} retries)`);

  // 2. Figures equal the generator's own totals.
  const year = (await (await fetch(`${base}/api/kpis?from=${YEAR}-01-01&to=${YEAR}-12-31`, { headers: { authorization: `Bearer ${token}` } })).json()) as { kpis: Record<string, { value: number | null; numerator?: number; denominator?: number }> };
  let mismatches = 0;
  for (const [id, expected] of Object.entries(generated.expected.kpis)) {
    const got = year.kpis[id];
    const ok = typeof expected === 'number' ? got?.value === expected : got?.numerator === (expected as { numerator: number }).numerator && got?.denominator === (expected as { denominator: number }).denominator;
    if (!ok) {
      mismatches++;
      say(`  MISMATCH ${id}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)}`);
    }
  }
  say(`year figures vs the generator's totals: ${Object.keys(generated.expected.kpis).length - mismatches} equal, ${mismatches} differ`);

  // 3. GET /api/kpis latency.
  for (const [label, from, to] of [['day', `${YEAR}-06-15`, `${YEAR}-06-15`], ['month', `${YEAR}-06-01`, `${YEAR}-06-30`], ['year', `${YEAR}-01-01`, `${YEAR}-12-31`]] as const) {
    const times: number[] = [];
    for (let i = 0; i < 100; i++) {
      const t = performance.now();
      const res = await fetch(`${base}/api/kpis?from=${from}&to=${to}`, { headers: { authorization: `Bearer ${token}` } });
      await res.arrayBuffer();
      times.push(performance.now() - t);
    }
    const s = summarize(times);
    say(`GET /api/kpis for a ${label}: p50 ${s.median.toFixed(1)} ms, p95 ${s.p95.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (100 requests)`);
  }

  // 4. Memory after a year.
  const info = await client.info('memory');
  const usedMiB = Math.round(Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 2 ** 20);
  say(`memory after the year: Redis used_memory ${usedMiB} MiB, server RSS ${await rssMiB(server.child.pid!)} MiB, worker RSS ${await rssMiB(worker.child.pid!)} MiB`);

  // 5. rebuild and verify.
  const keys = redisKeys('pulse');
  const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };
  const rebuildStarted = performance.now();
  await withIngestPaused(redis.url, keys, SUPPORTED_FEEDS, () => rebuildAggregates(client, keys, SUPPORTED_FEEDS, ctx));
  say(`rebuild of the year from the ledger: ${((performance.now() - rebuildStarted) / 1000).toFixed(1)} s`);
  const verifyStarted = performance.now();
  const report = await withIngestPaused(redis.url, keys, SUPPORTED_FEEDS, (pending) => verifyAggregates(client, keys, SUPPORTED_FEEDS, ctx, pending));
  say(`verify: ${report.ok ? 'zero difference' : 'DIFFERENCES'} in ${((performance.now() - verifyStarted) / 1000).toFixed(1)} s`);

  // 6. Naive baseline: one BullMQ job per record, worker concurrency 50, the same apply path.
  const naiveKeys = redisKeys('naive');
  const sample: { feed: FeedName; record: object }[] = [];
  const feeds = Object.entries(generated.feeds) as [FeedName, object[]][];
  for (const [feed, records] of feeds) {
    const share = Math.round((NAIVE_RECORDS * records.length) / total);
    for (const record of records.slice(0, share)) sample.push({ feed, record });
  }
  const ctxNormalize = { tz: 'Asia/Shanghai', hashPhone: (p: string) => p.slice(-4) };
  const apply = new ApplyService(client, naiveKeys, 'Asia/Shanghai');
  const queue = new Queue('naive', { connection: bullConnection(redis.url, 'command'), prefix: naiveKeys.queuePrefix(), defaultJobOptions: { removeOnComplete: true } });
  let done = 0;
  let finish!: () => void;
  const allDone = new Promise<void>((r) => (finish = r));
  const naiveWorker = new Worker(
    'naive',
    async (job) => {
      const { feed, record } = job.data as { feed: FeedName; record: object };
      const normalized = FEED_MODULES[feed]!.normalize(record, ctxNormalize);
      if (normalized.ok) await apply.applyBatch({ feed, batchId: job.id!, receivedAt: Date.now(), records: [normalized.record] });
      if (++done === sample.length) finish();
    },
    { connection: bullConnection(redis.url, 'blocking'), prefix: naiveKeys.queuePrefix(), concurrency: 50 },
  );
  const naiveStarted = performance.now();
  let cursor = 0;
  await Promise.all(
    Array.from({ length: SENDERS }, async () => {
      for (let i = cursor++; i < sample.length; i = cursor++) await queue.add(sample[i]!.feed, sample[i]!);
    }),
  );
  await allDone;
  const naiveRate = sample.length / ((performance.now() - naiveStarted) / 1000);
  await naiveWorker.close();
  await queue.close();
  say(`naive pipeline (one BullMQ job per record, concurrency 50, same apply): ${sample.length} records → ${Math.round(naiveRate)} records/s`);
  say(`Pulse / naive: ${(pulseRate / naiveRate).toFixed(1)}×`);
  writeSection(SCALE === 1 ? 'ingest-year' : `ingest-year-scale-${SCALE}`, lines.map((l) => `- ${l}`).join('\n'));
} finally {
  client.disconnect();
  await worker.stop();
  await server.stop();
  await redis.stop();
}
