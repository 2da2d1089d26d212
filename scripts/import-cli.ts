/**
 * `npm run import -- --feed <feed> <file> [--column-map '{"列名":"field"}']`
 * Imports a CSV/XLSX file through the same validation and exactly-once path as HTTP ingest, with a
 * progress bar; ends with accepted / duplicate / conflict / rejected counts and the first rejected
 * rows, and writes every rejected row to `<file>.rejected.csv`. Needs a running worker (`npm start`).
 */
import { writeFile } from 'node:fs/promises';
import cliProgress from 'cli-progress';
import { cliUsageError, openCliContextOrExit, parseCli } from '../core/platform/cli.ts';
import { FEED_NAMES, isFeedName } from '../shared/feeds/feed.ts';
import { scanAll } from '../core/platform/redis.ts';
import { createCoreContext } from '../core/context.ts';
import type { ImportProgress } from '../shared/socket-events.ts';
import { toCsv } from '../core/imports/csv.ts';
import { ImportService, MAX_REJECTED_KEPT } from '../core/imports/import-service.ts';
import { IngestService } from '../core/ingest/ingest-service.ts';
import { getOrCreateSecret } from '../core/services/secrets.ts';
import { negotiateLanguage, renderMessage } from '../shared/messages/index.ts';

const COMMAND = 'npm run import';
const { values, positionals } = parseCli({
  command: COMMAND,
  usage: `usage: npm run import -- --feed <${FEED_NAMES.join('|')}> <file.csv|file.xlsx> [--column-map JSON]

Imports a CSV or XLSX file through the validation and exactly-once path of HTTP ingest, with progress;
prints accepted / duplicate / conflict / rejected counts and writes the rejected rows to <file>.rejected.csv.

  --feed F          the feed the file holds
  --column-map JSON the file's column names to the feed's fields, e.g. '{"工单编号":"ticketId"}'

Needs Redis (REDIS_URL, or the one npm start uses) and, for the figures, a running worker.`,
  options: { feed: { type: 'string' }, 'column-map': { type: 'string' } },
  positionals: { min: 1, max: 1 },
});
const file = positionals[0]!;
if (!values.feed) cliUsageError(COMMAND, '--feed is missing');
if (!isFeedName(values.feed)) cliUsageError(COMMAND, `unknown feed '${values.feed}': one of ${FEED_NAMES.join(', ')}`);
const feed = values.feed;
let columnMap: Record<string, string> | undefined;
try {
  columnMap = values['column-map'] ? (JSON.parse(values['column-map']) as Record<string, string>) : undefined;
} catch (err) {
  cliUsageError(COMMAND, `--column-map is not JSON: ${(err as Error).message}`);
}

const cli = await openCliContextOrExit(process.env, { name: 'pulse-import', readyTimeoutMs: 5_000 });
const { config, url, redis, keys, log } = cli;
if ((await scanAll(redis, `${keys.prefix}:worker:*`)).length === 0) {
  process.stderr.write('No Pulse worker is running: the file will be read and queued, but its figures wait for a worker (npm start).\n');
}

const piiKey = await getOrCreateSecret(redis, keys, 'pii-key');
const ctx = createCoreContext({ redis, keys, log, tz: config.TZ_REPORT });
const ingest = new IngestService(ctx, url, config, piiKey.value);
const imports = new ImportService(ctx, ingest);
const bar = new cliProgress.SingleBar(
  { format: '{phase} |{bar}| {percentage}% · {rows} 行 rows · {queued} 条 queued · {rejected} 行 rejected', hideCursor: true },
  cliProgress.Presets.shades_classic,
);

const importId = await imports.start(feed, file, file, { columnMap, createdBy: 'cli' });
bar.start(100, 0, { phase: '读取 reading ', rows: 0, queued: 0, rejected: 0 });
let progress: ImportProgress | null;
for (;;) {
  progress = await imports.status(importId);
  if (progress) {
    const reading = progress.totalBytes > 0 ? progress.bytesRead / progress.totalBytes : 1;
    const applying = progress.batchesQueued > 0 ? progress.batchesApplied / progress.batchesQueued : 1;
    const percent = progress.phase === 'reading' ? reading * 80 : 80 + applying * 20;
    bar.update(Math.round(progress.phase === 'done' ? 100 : percent), {
      phase:
        progress.phase === 'reading'
          ? '读取 reading '
          : progress.phase === 'applying'
            ? '入库 applying'
            : progress.phase === 'done'
              ? '完成 done    '
              : '失败 failed  ',
      rows: progress.rowsRead,
      queued: progress.recordsQueued,
      rejected: progress.rejectedRows,
    });
    if (progress.phase === 'done' || progress.phase === 'failed') break;
  }
  await new Promise((r) => setTimeout(r, 200));
}
bar.stop();

const p = progress!;
if (p.phase === 'failed') {
  process.stderr.write(`\n导入失败 / import failed: ${p.error}\n`);
} else {
  const c = p.counts;
  console.log(
    `\n${p.rowsRead} rows read: ${c.accepted} accepted, ${c.duplicate} duplicate, ${c.conflict} conflicting, ${c.replaced} replaced, ${c.superseded} superseded; ${p.rejectedRows} rows rejected`,
  );
}
if (p.unknownColumns.length > 0) console.log(`ignored columns (unknown to ${feed}): ${p.unknownColumns.join(', ')}`);
if (p.rejectedRows > 0) {
  const rows = await imports.rejected(importId, 0, MAX_REJECTED_KEPT);
  // Rejection reasons in the terminal's language (LANG=en_US… → English; otherwise Chinese).
  const lang = negotiateLanguage(process.env.LANG?.replace('_', '-'));
  for (const r of rows.slice(0, 20)) console.log(`  row ${r.row}: ${r.errors.map((m) => renderMessage(m, lang)).join('; ')}`);
  if (p.rejectedRows > 20) console.log(`  … and ${p.rejectedRows - 20} more`);
  const out = `${file}.rejected.csv`;
  await writeFile(
    out,
    toCsv(
      ['行号 row', '原因 reasons'],
      rows.map((r) => [r.row, r.errors.map((m) => renderMessage(m, lang)).join('; ')]),
    ),
  );
  console.log(`rejected rows with their reasons: ${out}`);
}
await ingest.close();
cli.close();
process.exit(p.phase === 'done' ? 0 : 1);
