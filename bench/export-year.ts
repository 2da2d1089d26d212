/**
 * The year-end export of a generated year (scripts/simulator) in every format — DOCX with its charts,
 * XLSX, Markdown, JSON — timed from reading the figures to the last file (REPORT.md; target < 5 s).
 * The year is applied in process (the workers' ApplyService) into a private redis-server; the export
 * runs through the same services as the server and the CLI. Figures go to bench/RESULTS.md.
 *
 *   BENCH_SCALE=1 (default: the 2022 report's magnitudes)  EXPORT_BENCH_OUT=<dir> also writes the files
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { FEED_MODULES } from '../core/feeds/index.ts';
import type { FeedName } from '../shared/feeds/feed.ts';
import { createLogger } from '../core/platform/logger.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { createCoreContext } from '../core/context.ts';
import { ApplyService } from '../core/ingest/apply-service.ts';
import { AuditService } from '../core/services/audit-service.ts';
import { KpiService } from '../core/services/kpi-service.ts';
import { ReferenceService } from '../core/services/reference-service.ts';
import { TargetsService } from '../core/services/targets-service.ts';
import { EXPORT_FORMATS, ExportService } from '../core/export/export-service.ts';
import { TemplateStore } from '../core/export/template-store.ts';
import { CROSS_REGION_ITEMS, PARTNER_REGIONS } from '../scripts/simulator/catalogue.ts';
import { FEEDS, generateYear } from '../scripts/simulator/year.ts';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { summarize, writeSection } from './results.ts';

const YEAR = 2022;
const TZ = 'Asia/Shanghai';
const RUNS = 5;
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const OUT = process.env.EXPORT_BENCH_OUT;
const lines: string[] = [];
const say = (line: string) => {
  console.log(line);
  lines.push(line);
};

const generated = generateYear({ year: YEAR, seed: 2022, scale: SCALE, previousYear: true });
const redisServer = await startTestRedis();
const redis = new Redis(redisServer.url);
const keys = redisKeys('bench-export');
const core = createCoreContext({ redis, keys, log: createLogger('silent', 'bench'), tz: TZ });
try {
  // 1. The year, applied in process.
  const apply = new ApplyService(core);
  const ctx = { tz: TZ, hashPhone: (p: string) => `h${p.slice(-4)}` };
  let records = 0;
  const applyStarted = performance.now();
  for (const feed of FEEDS) {
    const rows = generated.feeds[feed];
    for (let i = 0; i < rows.length; i += 5_000) {
      const batch = rows.slice(i, i + 5_000).map((raw) => {
        const n = FEED_MODULES[feed as FeedName]!.normalize(raw, ctx);
        if (!n.ok) throw new Error(`${feed}: generated record rejected: ${JSON.stringify(n)}`);
        return n.record as { id: string };
      });
      await apply.applyBatch({ feed: feed as FeedName, batchId: `${feed}-${i}`, receivedAt: Date.now(), records: batch });
      records += batch.length;
    }
  }
  say(
    `year ${YEAR} at scale ${SCALE}: ${records} records applied in ${((performance.now() - applyStarted) / 1000).toFixed(1)} s (setup, not timed below)`,
  );

  const reference = new ReferenceService(core);
  await reference.replacePartners(PARTNER_REGIONS);
  await reference.replaceItems(CROSS_REGION_ITEMS.map((it) => ({ ...it, scope: 'inter_provincial', addedAt: `${YEAR}-01-01` })));
  const targets = new TargetsService(core);
  await targets.replace(YEAR, {
    'hotline.completionRate': { target: 0.95, direction: '>=' },
    'hotline.satisfactionRate': { target: 0.99, direction: '>=' },
    'online.volume': { target: 700_000 * SCALE, direction: '>=' },
  });
  const kpis = new KpiService(core, [...FEEDS], { targets, reference });
  const exports = new ExportService(core, kpis, targets, new TemplateStore(core), new AuditService(core));
  const period = { from: `${YEAR}-01-01`, to: `${YEAR}-12-31` };

  // Other work on the machine slows every figure below: say how busy it was.
  say(
    `load average before the export runs: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')} (1 / 5 / 15 min)`,
  );

  // 2. The export in every format as a server runs it, RUNS times (the first one cold: the chart thread starts).
  const totals: number[] = [];
  const steps = new Map<string, number[]>();
  let sizes = '';
  for (let run = 0; run < RUNS; run++) {
    let last = performance.now();
    let lastStep = '';
    const started = last;
    const files = await exports.produce(period, EXPORT_FORMATS, (step) => {
      const now = performance.now();
      if (lastStep) steps.set(lastStep, [...(steps.get(lastStep) ?? []), now - last]);
      last = now;
      lastStep = step;
    });
    const total = performance.now() - started;
    totals.push(total);
    say(`run ${run + 1}${run === 0 ? ' (cold)' : ''}: every format in ${(total / 1000).toFixed(2)} s`);
    sizes = files.map((f) => `${f.format} ${Math.round(f.data.length / 1024)} KiB`).join(', ');
    if (OUT && run === RUNS - 1) {
      mkdirSync(OUT, { recursive: true });
      for (const f of files) writeFileSync(join(OUT, f.fileName), f.data);
    }
  }
  const warm = summarize(totals.slice(1));
  say(
    `full year, every format (docx with 4 charts, xlsx, md, json): cold ${(totals[0]! / 1000).toFixed(2)} s; warm median ${(warm.median / 1000).toFixed(2)} s, max ${(warm.max / 1000).toFixed(2)} s (${RUNS - 1} runs) — target < 5 s`,
  );
  for (const [step, times] of steps) say(`  ${step}: median ${summarize(times).median.toFixed(0)} ms`);
  say(`files: ${sizes}`);

  // 3. The same through `npm run export` (a fresh process each time: Node, the modules, the fonts).
  const cliTimes: number[] = [];
  for (let run = 0; run < 3; run++) {
    const started = performance.now();
    const child = spawnSync(
      process.execPath,
      ['scripts/export-cli.ts', '--year', String(YEAR), '--out', join(tmpdir(), 'pulse-export-bench')],
      {
        env: { ...process.env, REDIS_URL: redisServer.url, REDIS_PREFIX: keys.prefix, LOG_LEVEL: 'warn' },
        encoding: 'utf8',
      },
    );
    if (child.status !== 0) throw new Error(`npm run export failed: ${child.stderr}`);
    cliTimes.push(performance.now() - started);
  }
  say(
    `load average after: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' / ')}`,
  );
  say(
    `npm run export -- --year ${YEAR} (every format, process start to exit): median ${(summarize(cliTimes).median / 1000).toFixed(2)} s, max ${(summarize(cliTimes).max / 1000).toFixed(2)} s (3 runs)`,
  );
  writeSection(SCALE === 1 ? 'export-year' : `export-year-scale-${SCALE}`, lines.map((l) => `- ${l}`).join('\n'));
} finally {
  redis.disconnect();
  await redisServer.stop();
}
