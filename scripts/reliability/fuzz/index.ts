/**
 * Scenario 6 — property-based fuzzing (fast-check): generated records of all five feeds, valid ones
 * mixed with hostile ones (extreme numbers, odd Unicode, wrong types, duplicate and conflicting
 * natural keys, times far in the past or future), sent through every path — POST /api/ingest/:feed as
 * JSON and as NDJSON, a CSV file through POST /api/imports, an HTTP pull connector. Each case runs on
 * its own key prefix against a real redis-server with the real server and worker; after it, with
 * ingest idle: no batch failed, `verify` reports zero difference, received = outcomes, every valid
 * record is accepted (accepted = the distinct natural keys sent), every bad one refused alone with
 * a reason naming what is wrong, and the breakdown by a dimension keeps each value apart.
 *
 *   node scripts/reliability/fuzz/index.ts [--cases 200] [--seed 14]
 */
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import fc from 'fast-check';
import { startFakeUpstream } from '../../../tests/support/fake-upstream.ts';
import { startScenarioRedis } from '../harness.ts';
import { runAsScript, timed, type ScenarioReport } from '../report.ts';
import { caseArb } from './cases.ts';
import { emptyFuzzTally, runCase, type FuzzTally } from './run-case.ts';

// ── The property ─────────────────────────────────────────────────────────────────────────────────

export interface FuzzOptions {
  cases: number;
  seed: number;
  maxRecords: number;
  redisUrl: string;
  /** Stops generating and shrinking after this long (a failure keeps the smallest counterexample so far), so a test prints it before its own timeout. */
  timeLimitMs?: number;
}

/** Runs the property for `cases` generated cases; on a failure, fast-check's report with the shrunk counterexample and its seed. */
export async function runFuzz(options: FuzzOptions): Promise<{ tally: FuzzTally; failure: string | null }> {
  const tally = emptyFuzzTally();
  const upstream = await startFakeUpstream();
  try {
    const result = await fc.check(
      fc.asyncProperty(caseArb({ maxRecords: options.maxRecords }), async (fuzzCase) => {
        const problems = await runCase(fuzzCase, options.redisUrl, upstream, tally);
        if (problems.length > 0) throw new Error(problems.slice(0, 12).join('\n'));
      }),
      {
        numRuns: options.cases,
        seed: options.seed,
        ...(options.timeLimitMs !== undefined && { interruptAfterTimeLimit: options.timeLimitMs, markInterruptAsFailure: true }),
      },
    );
    if (!result.failed) return { tally, failure: null };
    const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    return { tally, failure: `${fc.defaultReportMessage(result) ?? 'failed'}\nGot: ${error}` };
  } finally {
    await upstream.close();
  }
}

/** The long form for `npm run reliability`: its own redis-server, the figures into the report. */
export function runFuzzScenario(options: {
  cases: number;
  seed: number;
  maxRecords: number;
  timeLimitMs?: number;
}): Promise<ScenarioReport> {
  return timed('fuzz', { cases: options.cases, seed: options.seed, 'records a case (at most)': options.maxRecords }, async (report) => {
    const redis = await startScenarioRedis();
    try {
      const { tally, failure } = await runFuzz({ ...options, redisUrl: redis.url });
      if (failure) report.problems.push(failure);
      Object.assign(report.measured, {
        'cases tried (incl. shrinking)': tally.cases,
        requests: tally.requests,
        'records sent': tally.records,
        'bad records (each refused alone, with a reason)': tally.bad,
        'records with an open fate (kept or refused)': tally.open,
        'by path (JSON / NDJSON / CSV / connector)': `${tally.byPath.json} / ${tally.byPath.ndjson} / ${tally.byPath.csv} / ${tally.byPath.connector}`,
        'verify, received = outcomes, accepted = distinct keys': failure ? 'DIFFERENCES' : 'every case: zero difference, nothing lost',
      });
    } finally {
      await redis.destroy();
    }
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '200' },
      seed: { type: 'string', default: '14' },
      'max-records': { type: 'string', default: '40' },
    },
  });
  await runAsScript(() =>
    runFuzzScenario({ cases: Number(values.cases), seed: Number(values.seed), maxRecords: Number(values['max-records']) }),
  );
}
