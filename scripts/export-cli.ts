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
import { openCliContextOrExit } from '../core/platform/cli.ts';
import { FEED_NAMES } from '../shared/feeds/feed.ts';
import { createCoreContext } from '../core/context.ts';
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
  const { values } = parseArgs({
    options: {
      year: { type: 'string' },
      from: { type: 'string' },
      to: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
    },
  });
  period = parseExportPeriod(values);
  formats = parseFormats(values.format);
  outDir = resolve(values.out ?? 'exports');
} catch (err) {
  process.stderr.write(`${(err as Error).message}\n${usage}`);
  process.exit(2);
}

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
