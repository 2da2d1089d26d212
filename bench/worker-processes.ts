/**
 * Does a worker in its own process help `npm start`? The simulator's year at BENCH_SCALE (default 0.1) sent over
 * HTTP to `node all-in-one/main.ts` (what `npm start` runs) by SENDERS concurrent senders until idle, once per
 * WORKER_PROCESSES setting given as arguments (default: 0 1 2; 0 = the workers in the server's process), the settings
 * taken in turn within each pass so load changes spread over all of them, BENCH_REPEAT passes (default 3), a
 * fresh redis-server (AOF as deployed) per run. BENCH_CPUS (e.g. `0` or `0,1`) runs Pulse under `taskset -c` to
 * see it on fewer cores. Writes the section "worker-processes" (or "worker-processes-cpus-<list>") of
 * bench/RESULTS.md. Usage: `node bench/worker-processes.ts [setting …]`.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { freePort, startTestRedis } from '../tests/support/redis-server.ts';
import { ADMIN_PASSWORD, APPENDFSYNC, INGEST_TOKEN, SENDERS, ingestToIdle, type Deployment } from './ingest-run.ts';
import { waitForHttp } from './processes.ts';
import { fmt, median, table, writeSection } from './results.ts';
import { benchYear } from './year-batches.ts';

const SCALE = Number(process.env.BENCH_SCALE ?? 0.1);
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const CPUS = process.env.BENCH_CPUS?.trim() || null;
const settings = (process.argv.length > 2 ? process.argv.slice(2) : ['0', '1', '2']).map(Number);
const root = new URL('..', import.meta.url).pathname;
const say = (line: string) => console.log(`  [worker-processes] ${line}`);

/** `npm start` with WORKER_PROCESSES=`processes` on a fresh Redis, as a Deployment the ingest helpers drive. */
async function startPulse(processes: number): Promise<Deployment> {
  const redis = await startTestRedis({ appendonly: true, appendfsync: APPENDFSYNC });
  const port = await freePort();
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-bench-wp-'));
  const env = {
    PATH: process.env.PATH!,
    HOME: process.env.HOME ?? '/tmp',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    REDIS_URL: redis.url,
    PORT: String(port),
    HOST: '127.0.0.1',
    ADMIN_PASSWORD,
    INGEST_TOKEN,
    INGEST_MAX_BACKLOG_JOBS: '100000',
    INGEST_REQUESTS_PER_MINUTE: '1000000',
    WORKER_PROCESSES: String(processes),
  };
  const [command, args] = CPUS
    ? ['taskset', ['-c', CPUS, process.execPath, 'all-in-one/main.ts']]
    : [process.execPath, ['all-in-one/main.ts']];
  const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const client = new Redis(redis.url);
  const stop = async () => {
    client.disconnect();
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await redis.stop();
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitForHttp(`${base}/api/health`);
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    const { token } = (await res.json()) as { token: string };
    return { redis, client, base, server: null as never, workers: [], token, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

const year = benchYear(SCALE);
say(
  `year 2022 at scale ${SCALE}: ${fmt(year.total)} records (${year.mix}); settings ${settings.join(', ')}; ${REPEAT} passes${CPUS ? `; taskset -c ${CPUS}` : ''}`,
);
const rates = new Map<number, number[]>(settings.map((s) => [s, []]));
const accepted = new Map<number, number[]>(settings.map((s) => [s, []]));
const loads: string[] = [];
for (let pass = 1; pass <= REPEAT; pass++) {
  // Alternate the order, so a setting is not always the first (or last) of a pass.
  for (const processes of pass % 2 ? settings : [...settings].reverse()) {
    const load = loadavg()[0]!.toFixed(1);
    const d = await startPulse(processes);
    try {
      const timing = await ingestToIdle(d, year.batches);
      rates.get(processes)!.push(timing.recordsPerSecond);
      accepted.get(processes)!.push(year.total / timing.acceptedSeconds);
      loads.push(load);
      say(
        `pass ${pass}, WORKER_PROCESSES=${processes}: all 202 after ${fmt(timing.acceptedSeconds, 1)} s, idle after ${fmt(timing.idleSeconds, 1)} s → ${fmt(timing.recordsPerSecond)} records/s (load ${load})`,
      );
    } finally {
      await d.stop();
    }
  }
}

const first = settings[0]!;
const body = [
  `\`npm start\` (all-in-one/main.ts) with each WORKER_PROCESSES setting${CPUS ? `, under \`taskset -c ${CPUS}\`` : ''}: year 2022 from the simulator at scale ${SCALE}, ` +
    `${fmt(year.total)} records (${year.mix}), ${SENDERS} concurrent senders in requests of 5,000, a fresh redis-server per run (AOF, appendfsync ${APPENDFSYNC}); ` +
    `settings taken in turn within each pass. Load average (1 min) at the runs' starts: ${loads.join(', ')}.`,
  '',
  table(
    settings.flatMap((s) => [
      {
        label: `ingest over HTTP to idle, WORKER_PROCESSES=${s}${s === 0 ? ' (workers in the server’s process)' : ''}`,
        unit: 'records/s',
        values: rates.get(s)!,
        ratios: s === first ? [] : [{ to: `WORKER_PROCESSES=${first}`, ratio: median(rates.get(s)!) / median(rates.get(first)!) }],
      },
      { label: `  all requests answered 202, WORKER_PROCESSES=${s}`, unit: 'records/s', values: accepted.get(s)! },
    ]),
  ),
].join('\n');
console.log(body);
writeSection(CPUS ? `worker-processes-cpus-${CPUS.replace(/,/g, '-')}` : 'worker-processes', body);
