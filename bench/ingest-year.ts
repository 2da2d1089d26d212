/**
 * The ingest part of the suite. A year of the 2022 report's magnitude (BENCH_SCALE, default 1) sent
 * over HTTP by 4 senders to one server process until `idle`, with one worker process and with two,
 * BENCH_REPEAT times each (default 3), every run on a fresh redis-server with AOF (BENCH_APPENDFSYNC). After each one-worker
 * run: the figures against the generator's own totals, GET /api/kpis p95 for a day, a month and a
 * year, memory of server, worker and Redis; after the last, `rebuild` (repeated) and `verify`. In the
 * same run the baselines of bench/baselines.ts. Figures go to bench/RESULTS.md, section "ingest-year"
 * (or "ingest-year-scale-<s>" below scale 1).
 */
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { SUPPORTED_FEEDS } from '../core/ingest/apply-service.ts';
import { rebuildAggregates, verifyAggregates, withIngestPaused } from '../core/ledger/ledger-service.ts';
import { captureScriptCalls, naiveRecordsPerSecond, redisBenchmarkHincrby, scriptPipelineRecordsPerSecond } from './baselines.ts';
import { APPENDFSYNC, deploy, ingestToIdle, latencies, memoryMiB, SENDERS, type Deployment } from './ingest-run.ts';
import { fmt, median, summarize, table, writeSection, type MeasuredRow } from './results.ts';
import { BATCH_RECORDS, BENCH_YEAR, benchYear, sampleOf } from './year-batches.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const NAIVE_RECORDS = Math.round(40_000 * Math.min(1, SCALE * 2.5));
const CEILING_RECORDS = Math.round(200_000 * Math.min(1, SCALE * 2.5));
const KPI_REQUESTS = 100;
const notes: string[] = [];
const say = (line: string) => console.log(`  [ingest] ${line}`);

const year = benchYear(SCALE);
say(`year ${BENCH_YEAR} at scale ${SCALE}: ${fmt(year.total)} records (${year.mix}); ${REPEAT} runs per figure`);

/** Whether the served year figures equal the generator's counts; the KPI ids that differ. */
async function mismatches(d: Deployment): Promise<string[]> {
  const res = await fetch(`${d.base}/api/kpis?from=${BENCH_YEAR}-01-01&to=${BENCH_YEAR}-12-31`, {
    headers: { authorization: `Bearer ${d.token}` },
  });
  const served = ((await res.json()) as { kpis: Record<string, { value: number | null; numerator?: number; denominator?: number }> }).kpis;
  return Object.entries(year.generated.expected.kpis)
    .filter(([id, want]) => {
      const got = served[id];
      return typeof want === 'number' ? got?.value !== want : got?.numerator !== want.numerator || got?.denominator !== want.denominator;
    })
    .map(([id]) => id);
}

const rate: Record<1 | 2, number[]> = { 1: [], 2: [] };
const kpiP95: Record<'day' | 'month' | 'year', number[]> = { day: [], month: [], year: [] };
const memory = { redis: [] as number[], server: [] as number[], worker: [] as number[] };
const rebuildSeconds: number[] = [];
const verifySeconds: number[] = [];
let verifyOk = true;
let wrongFigures = 0;

for (const workers of [1, 2] as const) {
  for (let run = 1; run <= REPEAT; run++) {
    const d = await deploy(workers);
    try {
      let shown = 0;
      const timing = await ingestToIdle(d, year.batches, (sent) => {
        if (sent - shown >= year.total / 4) say(`  ${workers} worker(s), run ${run}: ${fmt((shown = sent))} records accepted…`);
      });
      rate[workers].push(timing.recordsPerSecond);
      say(
        `${workers} worker(s), run ${run}/${REPEAT}: all 202 after ${fmt(timing.acceptedSeconds, 1)} s, idle after ${fmt(timing.idleSeconds, 1)} s → ${fmt(timing.recordsPerSecond)} records/s (${timing.retries} retries)`,
      );
      if (workers !== 1) continue;
      const wrong = await mismatches(d);
      wrongFigures += wrong.length;
      if (wrong.length > 0) notes.push(`run ${run}: year figures differing from the generator's: ${wrong.join(', ')}`);
      for (const [label, from, to] of [
        ['day', `${BENCH_YEAR}-06-15`, `${BENCH_YEAR}-06-15`],
        ['month', `${BENCH_YEAR}-06-01`, `${BENCH_YEAR}-06-30`],
        ['year', `${BENCH_YEAR}-01-01`, `${BENCH_YEAR}-12-31`],
      ] as const) {
        kpiP95[label].push(summarize(await latencies(d, `/api/kpis?from=${from}&to=${to}`, KPI_REQUESTS)).p95);
      }
      const m = await memoryMiB(d);
      memory.redis.push(m.redis);
      memory.server.push(m.server);
      memory.worker.push(m.workers[0]!);
      say(
        `  figures ${wrong.length === 0 ? "equal the generator's" : `DIFFER (${wrong.length})`}; KPI p95 day/month/year ${kpiP95.day.at(-1)!.toFixed(1)}/${kpiP95.month.at(-1)!.toFixed(1)}/${kpiP95.year.at(-1)!.toFixed(1)} ms; Redis ${fmt(m.redis)} MiB, server ${m.server} MiB, worker ${m.workers[0]} MiB`,
      );
      if (run !== REPEAT) continue;
      const keys = redisKeys('pulse');
      const ctx = { tz: 'Asia/Shanghai', settings: DEFAULT_SETTINGS };
      for (let r = 1; r <= REPEAT; r++) {
        const started = performance.now();
        await withIngestPaused(d.redis.url, keys, SUPPORTED_FEEDS, () => rebuildAggregates(d.client, keys, SUPPORTED_FEEDS, ctx));
        rebuildSeconds.push((performance.now() - started) / 1000);
        say(`  rebuild ${r}/${REPEAT}: ${fmt(rebuildSeconds.at(-1)!, 1)} s`);
      }
      const started = performance.now();
      const report = await withIngestPaused(d.redis.url, keys, SUPPORTED_FEEDS, (pending) =>
        verifyAggregates(d.client, keys, SUPPORTED_FEEDS, ctx, pending),
      );
      verifySeconds.push((performance.now() - started) / 1000);
      verifyOk = report.ok;
      say(`  verify after the rebuilds: ${report.ok ? 'zero difference' : 'DIFFERENCES'} in ${fmt(verifySeconds[0]!, 1)} s`);
    } finally {
      await d.stop();
    }
  }
}

const naive: number[] = [];
for (let run = 1; run <= REPEAT; run++) {
  naive.push(await naiveRecordsPerSecond(sampleOf(year, NAIVE_RECORDS)));
  say(`naive pipeline, run ${run}/${REPEAT}: ${fmt(naive.at(-1)!)} records/s (${fmt(NAIVE_RECORDS)} records)`);
}
const hincrby: number[] = [];
for (let run = 1; run <= REPEAT; run++) {
  const rps = await redisBenchmarkHincrby(2_000_000);
  if (rps === null) break;
  hincrby.push(rps);
  say(`redis-benchmark HINCRBY, pipeline 100, run ${run}/${REPEAT}: ${fmt(rps)} ops/s`);
}
const captured = await captureScriptCalls(sampleOf(year, CEILING_RECORDS));
const script: number[] = [];
for (let run = 1; run <= REPEAT; run++) {
  script.push(await scriptPipelineRecordsPerSecond(captured));
  say(
    `apply-entities.lua pipelined in process, run ${run}/${REPEAT}: ${fmt(script.at(-1)!)} records/s (${captured.calls.length} calls, ${fmt(captured.records)} records)`,
  );
}

const pulse = median(rate[1]);
const rows: MeasuredRow[] = [
  {
    label: `ingest over HTTP to idle, 1 server + 1 worker process`,
    unit: 'records/s',
    values: rate[1],
    ratios: [
      { to: 'naive', ratio: pulse / median(naive) },
      { to: 'Lua ceiling', ratio: pulse / median(script) },
      ...(hincrby.length > 0 ? [{ to: 'redis-benchmark HINCRBY', ratio: pulse / median(hincrby) }] : []),
    ],
  },
  {
    label: 'ingest over HTTP to idle, 1 server + 2 worker processes',
    unit: 'records/s',
    values: rate[2],
    ratios: [{ to: '1 worker', ratio: median(rate[2]) / pulse }],
  },
  {
    label: `baseline: naive pipeline, one BullMQ job per record (concurrency 50, same apply), ${fmt(NAIVE_RECORDS)} records`,
    unit: 'records/s',
    values: naive,
  },
  {
    label: `baseline: apply-entities.lua, in-process ioredis pipeline of 8 calls, the workers' own arguments for ${fmt(captured.records)} records`,
    unit: 'records/s',
    values: script,
  },
  ...(hincrby.length > 0
    ? [{ label: 'baseline: redis-benchmark, HINCRBY pipelined 100, 50 clients', unit: 'ops/s', values: hincrby }]
    : []),
  { label: `GET /api/kpis p95 (${KPI_REQUESTS} requests), a day`, unit: 'ms', values: kpiP95.day, digits: 1 },
  {
    label: `GET /api/kpis p95, a month`,
    unit: 'ms',
    values: kpiP95.month,
    digits: 1,
    ratios: [{ to: 'day', ratio: median(kpiP95.month) / median(kpiP95.day) }],
  },
  {
    label: `GET /api/kpis p95, a year`,
    unit: 'ms',
    values: kpiP95.year,
    digits: 1,
    ratios: [{ to: 'day', ratio: median(kpiP95.year) / median(kpiP95.day) }],
  },
  {
    label: 'rebuild of the year from the ledger',
    unit: 's',
    values: rebuildSeconds,
    digits: 1,
    ratios: [{ to: 'ingest to idle', ratio: median(rebuildSeconds) / (year.total / pulse) }],
  },
  { label: `verify (${verifyOk ? 'zero difference' : 'DIFFERENCES'})`, unit: 's', values: verifySeconds, digits: 1 },
  { label: 'memory after the year: Redis used_memory', unit: 'MiB', values: memory.redis },
  { label: 'Redis used_memory per million records of the year', unit: 'MiB', values: memory.redis.map((m) => m / (year.total / 1e6)) },
  { label: 'memory after the year: server RSS', unit: 'MiB', values: memory.server },
  { label: 'memory after the year: worker RSS', unit: 'MiB', values: memory.worker },
];

const targets = [
  [`ingest ≥ 25,000 records/s to idle`, pulse >= 25_000],
  [`ingest ≥ 3× the naive pipeline`, pulse >= 3 * median(naive)],
  [`two workers faster than one`, median(rate[2]) > pulse],
  [`a year rebuilt in < 60 s`, median(rebuildSeconds) < 60],
  [`year figures equal the generator's totals in every run`, wrongFigures === 0],
  [`verify: zero difference`, verifyOk],
] as const;
const body = [
  `Year ${BENCH_YEAR} from the simulator at scale ${SCALE}: ${fmt(year.total)} records (${year.mix}), sent by ${SENDERS} concurrent senders in requests of ${fmt(BATCH_RECORDS)}; every run on a fresh redis-server (AOF, appendfsync ${APPENDFSYNC}). ${REPEAT} runs per figure.`,
  '',
  table(rows),
  '',
  `Targets (issue 10), from the medians above: ${targets.map(([what, met]) => `${what} — ${met ? 'met' : 'NOT met'}`).join('; ')}.`,
  ...notes.map((n) => `\n- ${n}`),
].join('\n');
console.log(body);
writeSection(SCALE === 1 ? 'ingest-year' : `ingest-year-scale-${SCALE}`, body);
