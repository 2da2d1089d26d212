/**
 * `npm run bench [-- part…]` — the performance suite. Each part runs as its own process (a fresh heap
 * and fresh redis-servers), prints its progress and writes its section of bench/RESULTS.md; this
 * runner writes the "last run" header (machine, versions, date, parameters) and times each part.
 * Parts, in order: ingest, apply, wall, wall-renderer, export, evidence, client, console, imports, post-to-page,
 * projection, hotspots, hotspot-run (default: all of these), and start (server start time), worker-processes and
 * wall-memory (long) only when named.
 * BENCH_SCALE (default 1: the 2022 report's 1.36 million records) scales the year; BENCH_REPEAT
 * (default 3) is the number of runs behind each min/median/max; BENCH_APPENDFSYNC=everysec runs Redis
 * with the AOF fsynced every second instead of on every write (as deployed). A part whose program is not in
 * bench/ yet is reported as skipped.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { cliUsageError, parseCli } from '../core/platform/cli.ts';
import { machineLine, writeRunHeader } from './results.ts';

const root = new URL('..', import.meta.url);
const PARTS: Record<string, { file: string; args?: string[]; what: string; optional?: boolean }> = {
  ingest: {
    file: 'bench/ingest-year.ts',
    what: 'ingest to idle (1 and 2 workers) vs naive and the raw Redis ceiling; KPI p95; rebuild; verify; memory',
  },
  apply: { file: 'bench/ingest-apply.ts', what: 'npm start to idle: one record per entity and the lifecycle mix; ceiling, naive, rebuild' },
  wall: {
    file: 'bench/wall-latency.ts',
    args: ['1000', '10000'],
    what: 'event-to-wall latency p50/p99, 50 walls, 1,000 and 10,000 records/s',
  },
  'wall-renderer': {
    file: 'bench/wall-renderer.ts',
    what: 'the wall page’s main-thread share of a core and layouts/s over 90 s of the live stream',
  },
  export: { file: 'bench/export-year.ts', what: 'the year-end export' },
  evidence: { file: 'bench/evidence-year.ts', what: 'the evidence pack 佐证材料 of a year: seconds to the last byte, server peak RSS' },
  client: { file: 'bench/client.ts', what: 'client JavaScript size and first full wall render in Chromium' },
  console: { file: 'bench/console-overview.ts', what: 'the console overview of a year in Chromium' },
  imports: { file: 'bench/import-files.ts', what: '1,000,000-row CSV and 200,000-row XLSX imports' },
  'post-to-page': { file: 'bench/post-to-page.ts', what: 'POST → figure on the page, one record at a time' },
  projection: { file: 'bench/projection-backtest.ts', what: '预计全年 backtest: error and 80 % interval coverage per cut-off month' },
  hotspots: { file: 'bench/hotspot-backtest.ts', what: '未诉先办 backtest: surges raised, delay, false hotspots a month' },
  'hotspot-run': { file: 'bench/hotspot-run.ts', what: 'one 未诉先办 detector run over 22,000 and 220,000 tickets in its window' },
  // Run by name, with START_TSX_LOADER (and START_OLD_NODE) to compare with the tsx loader of before.
  start: { file: 'bench/start-time.ts', what: 'server process start to GET /api/health answering', optional: true },
  'worker-processes': {
    file: 'bench/worker-processes.ts',
    what: 'npm start to idle with WORKER_PROCESSES 0, 1 and 2 (BENCH_CPUS: under taskset)',
    optional: true,
  },
  // ~11 minutes at its default 100,000 updates: run it by name.
  'wall-memory': { file: 'bench/wall-memory.ts', what: 'the wall page’s JS heap over a long run of deltas', optional: true },
};

const asked = parseCli({
  command: 'npm run bench',
  usage: `usage: npm run bench [-- part …]

The performance suite; each part runs in its own process and writes its section of bench/RESULTS.md.
Parts (default: all but wall-memory):
${Object.entries(PARTS)
  .map(([name, p]) => `  ${name.padEnd(13)} ${p.what}${p.optional ? ' (only when named)' : ''}`)
  .join('\n')}

BENCH_SCALE (default 1: the 2022 report's year), BENCH_REPEAT (default 3), BENCH_APPENDFSYNC=everysec.`,
  options: {},
  positionals: { min: 0, max: Object.keys(PARTS).length },
}).positionals;
const unknown = asked.filter((p) => !(p in PARTS));
if (unknown.length > 0) {
  cliUsageError('npm run bench', `unknown part(s) ${unknown.join(', ')}; parts are ${Object.keys(PARTS).join(', ')}`);
}
const parts = asked.length > 0 ? asked : Object.keys(PARTS).filter((name) => !PARTS[name]!.optional);

const version = (pkg: string) =>
  (JSON.parse(readFileSync(new URL(`node_modules/${pkg}/package.json`, root), 'utf8')) as { version: string }).version;
const firstLine = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.split('\n')[0]?.trim() || 'not installed';
const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).stdout.trim();
const header = (status: string[]) =>
  [
    `- started ${startedAt} on ${machineLine()}; commit ${commit || 'unknown'}`,
    `- ${firstLine('redis-server', ['--version'])}; ${firstLine('chromium', ['--version'])}`,
    `- bullmq ${version('bullmq')}, ioredis ${version('ioredis')}, socket.io ${version('socket.io')}, express ${version('express')}, vue ${version('vue')}, echarts ${version('echarts')}`,
    `- BENCH_SCALE=${process.env.BENCH_SCALE ?? 1}, BENCH_REPEAT=${process.env.BENCH_REPEAT ?? 3}, BENCH_APPENDFSYNC=${process.env.BENCH_APPENDFSYNC ?? 'always'}; parts: ${parts.join(', ')}`,
    ...status.map((s) => `- ${s}`),
  ].join('\n');

const startedAt = new Date().toISOString();
const status: string[] = [];
const suiteStarted = performance.now();
for (const name of parts) {
  const part = PARTS[name]!;
  if (!existsSync(new URL(part.file, root))) {
    console.log(`\n▶ ${name}: skipped — ${part.file} is not there yet`);
    status.push(`${name}: skipped (${part.file} not there yet)`);
    continue;
  }
  console.log(`\n▶ ${name}: ${part.what}`);
  const started = performance.now();
  const run = spawnSync(process.execPath, [part.file, ...(part.args ?? [])], {
    cwd: root,
    stdio: 'inherit',
    env: process.env,
  });
  const seconds = (performance.now() - started) / 1000;
  const outcome = run.status === 0 ? 'done' : `FAILED (exit ${run.status ?? run.signal})`;
  console.log(`◀ ${name}: ${outcome} in ${seconds.toFixed(0)} s`);
  status.push(`${name}: ${outcome} in ${seconds.toFixed(0)} s`);
  writeRunHeader(header(status));
}
const total = (performance.now() - suiteStarted) / 1000;
status.push(`whole suite: ${Math.floor(total / 60)} min ${Math.round(total % 60)} s`);
writeRunHeader(header(status));
console.log(`\nbench/RESULTS.md written; the suite took ${Math.floor(total / 60)} min ${Math.round(total % 60)} s`);
process.exit(status.some((s) => s.includes('FAILED')) ? 1 : 0);
