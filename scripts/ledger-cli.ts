/**
 * `npm run rebuild` — recompute every aggregate from the ledger (ingest paused meanwhile); a closed year's
 *                     published copy (封账) is not an aggregate and is never touched.
 * `npm run verify`  — prove the live aggregates equal that recomputation, feed by feed and day by day,
 *                     and that received = accepted + duplicate + conflict + replaced + superseded + rejected
 *                     (+ records still queued). Exit code 1 on any difference. Closed years' adjustments
 *                     (published vs live) are listed apart and do not fail it.
 * Both use REDIS_URL, or the Redis `npm start` uses (127.0.0.1:6379).
 */
import { cliUsageError, openCliContext, parseCli } from '../core/platform/cli.ts';
import { ConfigError } from '../core/platform/config.ts';
import { DEFAULT_SETTINGS } from '../shared/settings.ts';
import { SUPPORTED_FEEDS } from '../core/ingest/apply-service.ts';
import { rebuildAggregates, verifyAggregates, withIngestPaused, type VerifyReport } from '../core/ledger/ledger-service.ts';
import { createCoreContext } from '../core/context.ts';
import { ReferenceService } from '../core/services/reference-service.ts';
import { closedYearAdjustments } from '../core/services/closed-year/closed-year-service.ts';
import type { ClosedYearStatus } from '../shared/closed-year.ts';

function printReport(report: VerifyReport): void {
  for (const [feed, v] of Object.entries(report.feeds)) {
    const unbalanced = v.days.filter((d) => !d.balanced);
    const status =
      v.differenceCount === 0 && v.liveSetDifferences === 0 && unbalanced.length === 0 && v.ledgerMatchesAccepted ? 'OK ' : 'DIFF';
    console.log(
      `${status} ${feed.padEnd(12)} ${String(v.records).padStart(8)} records in ${String(v.entities).padStart(7)} entities, ` +
        `${v.daysCompared} day buckets: ${v.differenceCount} field differences, ${v.liveSetDifferences} live-set differences, ` +
        `${unbalanced.length} unbalanced days, ledger ${v.ledgerMatchesAccepted ? '=' : '≠'} accepted`,
    );
    for (const d of v.differences) console.log(`     ${d.day} ${d.field}: live ${d.live}, recomputed ${d.recomputed}`);
    for (const d of unbalanced.slice(0, 10))
      console.log(`     ${d.day} received ${d.stats.received} ≠ ${JSON.stringify({ ...d.stats, pending: d.pending })}`);
  }
  console.log(report.ok ? '\nverify: zero difference' : '\nverify: DIFFERENCES FOUND');
}

/** Closed years (封账): their adjustments — published vs live — are reported apart and never fail verify. */
function printClosedYears(years: ClosedYearStatus[]): void {
  for (const y of years) {
    const kpis = Object.entries(y.adjustments.kpis);
    console.log(`\nclosed ${y.year} (${y.closedAt} by ${y.closedBy}): ${y.adjustments.records} late records, ${kpis.length} KPIs adjusted`);
    for (const [id, { published, current }] of kpis) console.log(`     ${id}: published ${published}, current ${current}`);
  }
}

const USAGE = `usage: npm run rebuild
       npm run verify

  rebuild   recompute every day bucket and live set from the ledger and replace them (ingest paused meanwhile)
  verify    compare the live aggregates with that recomputation and reconcile received = accepted + duplicate
            + conflict + replaced + superseded + rejected (+ still queued), per feed and day; exit 1 on a difference.
            Closed years (封账): their adjustments (late records, published vs live KPIs) are listed apart, never a failure

Redis: REDIS_URL, or the one npm start uses (127.0.0.1:6379); REDIS_PREFIX as the server's.`;

async function main(): Promise<number> {
  const named = process.argv[2] === 'rebuild' || process.argv[2] === 'verify' ? `npm run ${process.argv[2]}` : 'ledger-cli';
  const command = parseCli({ command: named, usage: USAGE, options: {}, positionals: { min: 1, max: 1 } }).positionals[0];
  if (command !== 'rebuild' && command !== 'verify') cliUsageError(named, `unknown command '${command}': rebuild or verify`);
  const cli = await openCliContext(process.env, { name: 'pulse-ledger-cli', readyTimeoutMs: 10_000, quietErrors: false });
  const { config, url, redis, keys } = cli;
  const ctx = { tz: config.TZ_REPORT, settings: DEFAULT_SETTINGS };
  try {
    return await withIngestPaused(url, keys, SUPPORTED_FEEDS, async (pending) => {
      if (command === 'rebuild') {
        const started = performance.now();
        await rebuildAggregates(redis, keys, SUPPORTED_FEEDS, ctx, (feed, s) =>
          console.log(
            `rebuilt ${feed.padEnd(12)} ${s.records} records, ${s.entities} entities → ${s.buckets} day buckets in ${s.seconds.toFixed(2)} s`,
          ),
        );
        console.log(`rebuild finished in ${((performance.now() - started) / 1000).toFixed(2)} s`);
        return 0;
      }
      const report = await verifyAggregates(redis, keys, SUPPORTED_FEEDS, ctx, pending);
      printReport(report);
      const coreCtx = createCoreContext({ redis, keys, log: cli.log, tz: config.TZ_REPORT });
      printClosedYears(await closedYearAdjustments(coreCtx, SUPPORTED_FEEDS, { reference: new ReferenceService(coreCtx) }));
      return report.ok ? 0 : 1;
    });
  } finally {
    cli.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    process.stderr.write(`${err instanceof ConfigError ? err.message : `${command()} failed: ${err.message}`}\n`);
    process.exit(2);
  },
);

function command(): string {
  return process.argv[2] ?? 'ledger';
}
