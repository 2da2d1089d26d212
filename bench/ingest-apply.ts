/**
 * The apply path (issue 19), `npm run bench -- apply`. Two mixes of the 2022 year against `npm start`
 * (server and worker in one process, all-in-one/main.ts, as deployed on one small machine), each on a
 * fresh redis-server with AOF (BENCH_APPENDFSYNC), to idle, BENCH_REPEAT runs (default 3):
 * - one record per entity: a hall exporting only 办结 rows, each its own visit (535,750 × BENCH_SCALE);
 * - the simulator's lifecycle mix: the year of bench/ingest-year.ts (a visitor as 取号, 叫号, 办结).
 * In the same run, per mix: the in-process ceiling of apply-entities.lua (the workers' own script calls
 * replayed in an ioredis pipeline) and the naive one-job-per-record pipeline (bench/baselines.ts); after
 * the last lifecycle run, `rebuild` of the year from the ledger (bench/ingest-year.ts's method), per
 * million records. Figures go to bench/RESULTS.md, section "ingest-apply" (or "ingest-apply-scale-<s>").
 */
import { readFileSync, readdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { Redis } from 'ioredis';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import type { FeedName } from '../shared/feeds/feed.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { SUPPORTED_FEEDS } from '../core/ingest/apply-service.ts';
import { rebuildAggregates, withIngestPaused } from '../core/ledger/ledger-service.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { captureScriptCalls, naiveRecordsPerSecond, scriptPipelineRecordsPerSecond } from './baselines.ts';
import { ADMIN_PASSWORD, APPENDFSYNC, benchEnv, ingestToIdle, type Deployment } from './ingest-run.ts';
import { onePerEntityBatches } from './one-per-entity.ts';
import { startProcess, waitForHttp } from './processes.ts';
import { fmt, median, table, writeSection, type MeasuredRow } from './results.ts';
import { BENCH_YEAR, benchYear, sampleOf, type Batch } from './year-batches.ts';
import { freePort } from '../tests/support/redis-server.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const NAIVE_RECORDS = Math.round(20_000 * Math.min(1, SCALE * 2.5));
const CEILING_RECORDS = Math.round(200_000 * Math.min(1, SCALE * 2.5));
const say = (line: string) => console.log(`  [apply] ${line}`);
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** `npm start` (all-in-one/main.ts) on a fresh redis-server with AOF. */
async function deployAllInOne(): Promise<Deployment> {
  const redis = await startTestRedis({ appendonly: true, appendfsync: APPENDFSYNC });
  const port = await freePort();
  const env = benchEnv(redis.url, port);
  const server = startProcess('all-in-one/main.ts', env);
  const base = `http://127.0.0.1:${port}`;
  const client = new Redis(redis.url);
  const stop = async () => {
    client.disconnect();
    await server.stop();
    await redis.stop();
  };
  try {
    await waitForHttp(`${base}/api/health`, 120_000); // a loaded machine starts slowly
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await res.json()) as { token: string };
    return { redis, client, base, server, workers: [], token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** CPU seconds used so far by process `pid` and its children (the worker processes of WORKER_PROCESSES), from /proc. */
function processCpuSeconds(pid: number): number {
  const ticks = (p: number | string) => {
    const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return Number(fields[11]) + Number(fields[12]);
  };
  let total = ticks(pid);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]!.split(' ')[1]) === pid) total += ticks(entry);
    } catch {
      // ended meanwhile
    }
  }
  return total / 100; // clock ticks (USER_HZ)
}

/** Redis's CPU seconds so far (INFO cpu: user + sys). */
async function redisCpuSeconds(client: Redis): Promise<number> {
  const info = await client.info('cpu');
  return Number(/used_cpu_user:([\d.]+)/.exec(info)![1]) + Number(/used_cpu_sys:([\d.]+)/.exec(info)![1]);
}

const year = benchYear(SCALE);
const one = onePerEntityBatches(year.generated, Math.round(535_750 * SCALE));
const samplesOf = (batches: Batch[], count: number) => {
  const sample: { feed: FeedName; record: object }[] = [];
  for (const b of batches) {
    for (const record of (JSON.parse(b.body) as { events: object[] }).events) {
      if (sample.length === count) return sample;
      sample.push({ feed: b.feed, record });
    }
  }
  return sample;
};
const mixes = [
  {
    name: 'one record per entity (hall, 办结 rows only)',
    batches: one.batches,
    total: one.total,
    sample: (n: number) => samplesOf(one.batches, n),
  },
  {
    name: `lifecycle mix (the simulator's year: ${year.mix})`,
    batches: year.batches,
    total: year.total,
    sample: (n: number) => sampleOf(year, n),
  },
];

const loadBefore = load();
say(`load average before: ${loadBefore}`);
const rows: MeasuredRow[] = [];
const rebuildSeconds: number[] = [];
for (const [m, mix] of mixes.entries()) {
  const rates: number[] = [];
  const nodeMicros: number[] = [];
  const redisMicros: number[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    const d = await deployAllInOne();
    try {
      const [node0, redis0] = [processCpuSeconds(d.server.child.pid!), await redisCpuSeconds(d.client)];
      const timing = await ingestToIdle(d, mix.batches).catch((err: Error) => {
        throw new Error(`${err.message} (${String(err.cause)}); npm start said: ${d.server.output().slice(-2000)}`);
      });
      rates.push(timing.recordsPerSecond);
      nodeMicros.push(((processCpuSeconds(d.server.child.pid!) - node0) / mix.total) * 1e6);
      redisMicros.push((((await redisCpuSeconds(d.client)) - redis0) / mix.total) * 1e6);
      say(
        `${mix.name}, run ${run}/${REPEAT}: ${fmt(mix.total)} records, idle after ${fmt(timing.idleSeconds, 1)} s → ${fmt(timing.recordsPerSecond)} records/s`,
      );
      if (m === mixes.length - 1 && run === REPEAT) {
        const keys = redisKeys('pulse');
        const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };
        for (let r = 1; r <= REPEAT; r++) {
          const started = performance.now();
          await withIngestPaused(d.redis.url, keys, SUPPORTED_FEEDS, () => rebuildAggregates(d.client, keys, SUPPORTED_FEEDS, ctx));
          rebuildSeconds.push((performance.now() - started) / 1000);
          say(`  rebuild ${r}/${REPEAT}: ${fmt(rebuildSeconds.at(-1)!, 1)} s`);
        }
      }
    } finally {
      await d.stop();
    }
  }
  const captured = await captureScriptCalls(mix.sample(CEILING_RECORDS));
  const ceiling: number[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    ceiling.push(await scriptPipelineRecordsPerSecond(captured));
    say(`  apply-entities.lua in process, run ${run}/${REPEAT}: ${fmt(ceiling.at(-1)!)} records/s`);
  }
  const naive: number[] = [];
  for (let run = 1; run <= REPEAT; run++) {
    naive.push(await naiveRecordsPerSecond(mix.sample(NAIVE_RECORDS)));
    say(`  naive, run ${run}/${REPEAT}: ${fmt(naive.at(-1)!)} records/s`);
  }
  rows.push(
    {
      label: `${mix.name}: npm start, ${fmt(mix.total)} records over HTTP to idle`,
      unit: 'records/s',
      values: rates,
      ratios: [
        { to: 'in-process ceiling', ratio: median(rates) / median(ceiling) },
        { to: 'naive', ratio: median(rates) / median(naive) },
      ],
    },
    {
      label: `  CPU of npm start's Node process (HTTP, validation, queueing, planning) per record during that run`,
      unit: 'µs',
      values: nodeMicros,
      digits: 1,
    },
    {
      label: `  CPU of redis-server per record during that run`,
      unit: 'µs',
      values: redisMicros,
      digits: 1,
    },
    {
      label: `  ceiling: apply-entities.lua replayed in process (ioredis pipeline of 8 calls, the workers' own arguments for ${fmt(captured.records)} records)`,
      unit: 'records/s',
      values: ceiling,
    },
    {
      label: `  naive: one BullMQ job per record (concurrency 50, same apply), ${fmt(NAIVE_RECORDS)} records`,
      unit: 'records/s',
      values: naive,
    },
  );
}
rows.push({
  label: `rebuild from the ledger after the lifecycle year, per million records (${fmt(year.total)} records)`,
  unit: 's',
  values: rebuildSeconds.map((s) => s / (year.total / 1e6)),
  digits: 1,
});

const body = [
  `Year ${BENCH_YEAR} at scale ${SCALE}; \`npm start\` (server and worker in one process, WORKER_CONCURRENCY default) on a fresh redis-server per run (AOF, appendfsync ${APPENDFSYNC}); 4 senders, requests of 5,000 records. ${REPEAT} runs per figure. Load average (1/5/15 min) before ${loadBefore}, after ${load()} on ${cpus().length} cores (a load above the core count means other work shared the machine). CPU per record: what npm start's process and redis-server used between the first request and idle, divided by the records.`,
  '',
  table(rows),
].join('\n');
console.log(body);
writeSection(SCALE === 1 ? 'ingest-apply' : `ingest-apply-scale-${SCALE}`, body);
