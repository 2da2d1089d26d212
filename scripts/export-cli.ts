/**
 * `npm run export -- --year <yyyy> [--format docx,xlsx,md,json] [--out <dir>]` (or `--from/--to`)
 * The year-end export (REPORT.md) from the command line: reads Redis directly through the same services
 * as the server (configuration as the server reads it), shows progress, writes the files to `--out`
 * (default ./exports) and records the export in the audit log.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../core/platform/config.ts';
import { FEED_NAMES } from '../shared/feeds/feed.ts';
import { createLogger } from '../core/platform/logger.ts';
import { connectRedis, waitForReady } from '../core/platform/redis.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { createCoreContext } from '../core/context.ts';
import { DEFAULT_LOCAL_REDIS } from '../core/platform/embedded-redis.ts';
import { ExportService, parseExportPeriod, parseFormats } from '../core/export/export-service.ts';
import { TemplateStore } from '../core/export/template-store.ts';
import { AuditService } from '../core/services/audit-service.ts';
import { KpiService } from '../core/services/kpi-service.ts';
import { ReferenceService } from '../core/services/reference-service.ts';
import { TargetsService } from '../core/services/targets-service.ts';

const usage = 'usage: npm run export -- --year <yyyy> | --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--format docx,xlsx,md,json] [--out <dir>]\n';
let period;
let formats;
let outDir: string;
try {
  const { values } = parseArgs({ options: { year: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, format: { type: 'string' }, out: { type: 'string' } } });
  period = parseExportPeriod(values);
  formats = parseFormats(values.format);
  outDir = resolve(values.out ?? 'exports');
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

const config = loadConfig();
const url = config.REDIS_URL ?? DEFAULT_LOCAL_REDIS;
const keys = redisKeys(config.REDIS_PREFIX);
const log = createLogger('warn', 'pulse-export');
const redis = connectRedis(url, 'command', 'pulse-export');
redis.on('error', () => undefined);
try {
  await waitForReady(redis, 5_000);
} catch {
  process.stderr.write(`Redis does not answer at ${url}: start Pulse first (npm start) or set REDIS_URL.\n`);
  process.exit(1);
}

const ctx = createCoreContext({ redis, keys, log, tz: config.TZ_REPORT });
const targets = new TargetsService(ctx);
const kpis = new KpiService(ctx, FEED_NAMES, { targets, reference: new ReferenceService(ctx) });
const audit = new AuditService(ctx);
// One export per process: charts are drawn in this thread (a chart thread would only add its start-up).
const exports = new ExportService(ctx, kpis, targets, new TemplateStore(ctx), audit, async (options) =>
  (await import('../core/export/chart-renderer.ts')).renderChartPngs(options),
);

const bar = new cliProgress.SingleBar({ format: '导出 export |{bar}| {value}/{total} {step}', hideCursor: true }, cliProgress.Presets.shades_classic);
bar.start(1 + formats.length, 0, { step: '' });
let code = 0;
try {
  const started = performance.now();
  const files = await exports.produce(period, formats, (step, done, total) => {
    bar.setTotal(total);
    bar.update(done, { step });
  });
  bar.stop();
  await mkdir(outDir, { recursive: true });
  for (const file of files) {
    const path = join(outDir, file.fileName);
    await writeFile(path, file.data);
    console.log(`${file.format.padEnd(4)} ${path} (${Math.round(file.data.length / 1024)} KiB)`);
  }
  await exports.recordAudit(`cli:${userInfo().username}`, period, formats);
  console.log(`${period.from} ~ ${period.to}: ${files.length} files in ${((performance.now() - started) / 1000).toFixed(1)} s`);
} catch (err) {
  bar.stop();
  process.stderr.write(`导出失败 / export failed: ${(err as Error).message}\n`);
  code = 1;
}
redis.disconnect();
process.exit(code);
