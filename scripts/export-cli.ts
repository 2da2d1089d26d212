/**
 * `npm run export -- --year <yyyy> [--format docx,xlsx,md,json] [--out <dir>]` (or `--from/--to`)
 * The year-end export (REPORT.md) from the command line: reads Redis directly through the same services
 * as the server (configuration as the server reads it), shows progress, writes the files to `--out`
 * (default ./exports) and records the export in the audit log.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { cliUsageError, openCliContextOrExit, parseCli } from '../core/platform/cli.ts';
import { FEED_NAMES } from '../shared/feeds/feed.ts';
import { createCoreContext } from '../core/context.ts';
import { ExportService, parseExportPeriod, parseFormats } from '../core/export/export-service.ts';
import { TemplateStore } from '../core/export/template-store.ts';
import { AuditService } from '../core/services/audit-service.ts';
import { KpiService } from '../core/services/kpi-service.ts';
import { ReferenceService } from '../core/services/reference-service.ts';
import { TargetsService } from '../core/services/targets-service.ts';

const COMMAND = 'npm run export';
const USAGE = `usage: npm run export -- --year <yyyy> | --from <YYYY-MM-DD> --to <YYYY-MM-DD> [--format docx,xlsx,md,json] [--out <dir>]

The year-end export (docs/REPORT.md) of a year or a period, read from Redis (REDIS_URL, or the one
npm start uses) through the server's services, recorded in the audit log.

  --year YYYY         the calendar year (or --from/--to)
  --from, --to DAY    a period of local days, YYYY-MM-DD
  --format LIST       comma-separated: docx, xlsx, md, json (default: all)
  --out DIR           where to write the files (default ./exports)`;
const { values } = parseCli({
  command: COMMAND,
  usage: USAGE,
  options: {
    year: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
  },
});
let period;
let formats;
try {
  period = parseExportPeriod(values);
  formats = parseFormats(values.format);
} catch (err) {
  cliUsageError(COMMAND, (err as Error).message);
}
const outDir = resolve(values.out ?? 'exports');

const cli = await openCliContextOrExit(process.env, { name: 'pulse-export', readyTimeoutMs: 5_000 });
const { config, redis, keys, log } = cli;

const ctx = createCoreContext({ redis, keys, log, tz: config.TZ_REPORT });
const targets = new TargetsService(ctx);
const kpis = new KpiService(ctx, FEED_NAMES, { targets, reference: new ReferenceService(ctx) });
const audit = new AuditService(ctx);
// One export per process: charts are drawn in this thread (a chart thread would only add its start-up).
const exports = new ExportService(ctx, kpis, targets, new TemplateStore(ctx), audit, async (options) =>
  (await import('../core/export/chart-renderer.ts')).renderChartPngs(options),
);

const bar = new cliProgress.SingleBar(
  { format: '导出 export |{bar}| {value}/{total} {step}', hideCursor: true },
  cliProgress.Presets.shades_classic,
);
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
cli.close();
process.exit(code);
