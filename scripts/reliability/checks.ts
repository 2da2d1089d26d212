/**
 * How every scenario ends: `npm run verify` (the live aggregates equal a recomputation from the
 * ledger, every day balanced), a reconciliation of what senders had acknowledged against what Pulse
 * counted, and the served figures against what the generator counted for itself.
 */
import { spawn } from 'node:child_process';
import { openCliContext } from '../../core/platform/cli.ts';
import { scanAll } from '../../core/platform/redis.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { ROOT } from './harness.ts';
import type { SendTally } from './senders.ts';

export interface VerifyRun {
  zeroDifference: boolean;
  exitCode: number | null;
  output: string;
}

/** Runs `npm run verify` against the scenario's Redis, exactly as an operator would. */
export function runVerify(env: Record<string, string>): Promise<VerifyRun> {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', 'verify'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', REDIS_URL: env.REDIS_URL!, REDIS_PREFIX: env.REDIS_PREFIX! },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.once('exit', (code) => resolve({ zeroDifference: code === 0 && /verify: zero difference/.test(output), exitCode: code, output }));
  });
}

/** Ingest statistics summed over every feed and receiving day. */
export interface IngestTotals {
  received: number;
  rejected: number;
  accepted: number;
  duplicate: number;
  conflict: number;
  replaced: number;
  superseded: number;
  /** Deliveries a retried or re-run batch found already applied (not counted again). */
  replayed: number;
}

export async function ingestTotals(redisUrl: string, prefix: string): Promise<IngestTotals> {
  const { redis, keys, close } = await openCliContext(
    { REDIS_URL: redisUrl, REDIS_PREFIX: prefix },
    { name: 'pulse-reliability', readyTimeoutMs: 10_000 },
  );
  const totals: IngestTotals = {
    received: 0,
    rejected: 0,
    accepted: 0,
    duplicate: 0,
    conflict: 0,
    replaced: 0,
    superseded: 0,
    replayed: 0,
  };
  try {
    for (const feed of FEED_NAMES) {
      for (const key of await scanAll(redis, keys.ingestStatsPattern(feed))) {
        const stats = await redis.hgetall(key);
        for (const field of ['received', 'rejected', 'accepted', 'duplicate', 'conflict', 'replaced', 'superseded'] as const) {
          totals[field] += Number(stats[field] ?? 0);
        }
      }
    }
    for (const key of await scanAll(redis, keys.batchResult('*'))) totals.replayed += Number((await redis.hget(key, 'replay')) ?? 0);
  } finally {
    close();
  }
  return totals;
}

/**
 * Received vs counted: every record of every acknowledged request was received once (a refused
 * request counts nothing), and every received record ended in exactly one outcome.
 */
export function reconcile(tally: SendTally, totals: IngestTotals): string[] {
  const problems: string[] = [];
  if (tally.failures.length > 0) problems.push(`${tally.failures.length} requests failed: ${tally.failures.slice(0, 3).join(' | ')}`);
  if (totals.received !== tally.acknowledgedRecords) {
    problems.push(`received ${totals.received} ≠ ${tally.acknowledgedRecords} records in acknowledged requests`);
  }
  const outcomes = totals.accepted + totals.duplicate + totals.conflict + totals.replaced + totals.superseded + totals.rejected;
  if (outcomes !== totals.received) problems.push(`outcomes ${outcomes} ≠ received ${totals.received}`);
  return problems;
}

/** A count, or a rate's parts, as the simulator counts them (scripts/simulator/tally.ts). */
type Expectation = number | { numerator: number; denominator: number };

/** GET /api/kpis for the period and every KPI the generator counted: the list of differences (empty = exact). */
export async function compareFigures(
  baseUrl: string,
  token: string,
  period: { from: string; to: string },
  expected: Record<string, Expectation>,
): Promise<string[]> {
  const res = await fetch(`${baseUrl}/api/kpis?from=${period.from}&to=${period.to}`, { headers: { authorization: `Bearer ${token}` } });
  if (res.status !== 200) return [`GET /api/kpis: ${res.status} ${await res.text()}`];
  const { kpis } = (await res.json()) as { kpis: Record<string, { value: number | null; numerator?: number; denominator?: number }> };
  const problems: string[] = [];
  for (const [id, want] of Object.entries(expected)) {
    const got = kpis[id];
    if (typeof want === 'number') {
      if (got?.value !== want) problems.push(`${id}: served ${got?.value}, generated ${want}`);
    } else if (got?.numerator !== want.numerator || got?.denominator !== want.denominator) {
      problems.push(`${id}: served ${got?.numerator}/${got?.denominator}, generated ${want.numerator}/${want.denominator}`);
    }
  }
  return problems;
}

/**
 * The common end of a scenario: wait until everything acknowledged is applied (no batch failed),
 * reconcile, `npm run verify`, and compare the year's figures with the generator's. Problems and
 * figures go into `report`.
 */
export async function finishScenario(
  cluster: {
    env: Record<string, string>;
    baseUrls: string[];
    waitIdle(token: string, timeoutMs: number): Promise<{ feeds: Record<string, { failed: number }> }>;
  },
  token: string,
  tally: SendTally,
  expected: { year: number; kpis: Record<string, Expectation> },
  report: { measured: Record<string, string | number>; problems: string[] },
  idleTimeoutMs = 300_000,
): Promise<void> {
  const status = await cluster.waitIdle(token, idleTimeoutMs);
  const failed = Object.values(status.feeds).reduce((n, c) => n + c.failed, 0);
  if (failed > 0) report.problems.push(`${failed} batches failed`);
  const totals = await ingestTotals(cluster.env.REDIS_URL!, cluster.env.REDIS_PREFIX!);
  report.problems.push(...reconcile(tally, totals));
  const verify = await runVerify(cluster.env);
  if (!verify.zeroDifference) report.problems.push(`npm run verify (exit ${verify.exitCode}):\n${verify.output}`);
  const figures = await compareFigures(
    cluster.baseUrls[0]!,
    token,
    { from: `${expected.year}-01-01`, to: `${expected.year}-12-31` },
    expected.kpis,
  );
  report.problems.push(...figures.slice(0, 20));
  Object.assign(report.measured, {
    'records acknowledged (202)': tally.acknowledgedRecords,
    'requests (incl. retries)': tally.requests,
    'received (server)': totals.received,
    accepted: totals.accepted,
    duplicate: totals.duplicate,
    'conflict / replaced / superseded': `${totals.conflict} / ${totals.replaced} / ${totals.superseded}`,
    'replayed deliveries recognised': totals.replayed,
    'failed batches': failed,
    'KPIs equal to the generator’s count': `${Object.keys(expected.kpis).length - figures.length} of ${Object.keys(expected.kpis).length}`,
    'npm run verify': verify.zeroDifference ? 'zero difference' : 'DIFFERENCES',
  });
}
