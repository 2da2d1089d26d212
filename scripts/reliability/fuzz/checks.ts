/** Scenario 6's checks after a case: reasons naming the fault, the statistics reconciled, the breakdown kept apart. */
import type { IngestTotals } from '../checks.ts';
import type { verifyAggregates } from '../../../core/ledger/ledger-service.ts';
import { DEPARTMENTS, LABELS, type FuzzRecord } from './generators.ts';

/** The reasons of a refusal must name the field at fault (English or Chinese), or say the record is no object / no JSON. */
export function namesTheFault(r: FuzzRecord, errors: string[]): boolean {
  if (errors.length === 0 || errors.some((e) => typeof e !== 'string' || e.trim() === '')) return false;
  const text = errors.join(' | ');
  if (r.badField === null || r.badField === undefined) return /object|JSON|对象/.test(text);
  return text.includes(r.badField) || text.includes(LABELS[r.feed][r.badField] ?? r.badField);
}

/** received = what was sent; outcomes = received; refused = the bad records; accepted = the distinct keys of the kept ones. */
export function reconcileCase(
  records: FuzzRecord[],
  refused: Set<number>,
  t: IngestTotals,
  connector: { sent: number; invalid: number; open: number },
): string[] {
  const problems: string[] = [];
  const ndjsonBadLines = new Set(records.filter((r) => r.path === 'ndjson').map((r) => r.feed)).size;
  const sent = records.length + ndjsonBadLines;
  if (t.received !== sent) problems.push(`received ${t.received} ≠ ${sent} records sent`);
  const outcomes = t.accepted + t.duplicate + t.conflict + t.replaced + t.superseded + t.rejected;
  if (outcomes !== t.received) problems.push(`outcomes ${outcomes} ≠ received ${t.received} (${JSON.stringify(t)})`);
  const connectorRefused = t.rejected - refused.size - ndjsonBadLines;
  if (connectorRefused < connector.invalid || connectorRefused > connector.invalid + connector.open) {
    problems.push(`connector refused ${connectorRefused}, expected ${connector.invalid} bad (+ up to ${connector.open} open)`);
  }
  // Kept: every valid record, and the open ones not refused (their keys are their own); the connector's
  // open records (each sent once): as many as it did not refuse beyond the bad ones.
  const keys = new Set<string>();
  for (const [n, r] of records.entries()) {
    if (r.expect === 'valid' || (r.expect === 'either' && r.path !== 'connector' && !refused.has(n))) keys.add(`${r.feed}:${r.key}`);
  }
  const expected = keys.size + connector.open - (connectorRefused - connector.invalid);
  if (t.accepted !== expected) problems.push(`accepted ${t.accepted} ≠ ${expected} distinct natural keys of the records kept`);
  return problems;
}

/** GET /api/kpis?groupBy=department: each generated department its own group, counting its ratings once. */
export async function checkBreakdown(
  base: string,
  auth: Record<string, string>,
  records: FuzzRecord[],
  refused: Set<number>,
): Promise<string[]> {
  const expected = new Map<string, Set<string>>();
  for (const [n, r] of records.entries()) {
    if (r.feed !== 'evaluations' || r.department === undefined || refused.has(n)) continue;
    expected.set(r.department, (expected.get(r.department) ?? new Set()).add(r.key!));
  }
  if (expected.size === 0) return [];
  const res = await fetch(`${base}/api/kpis?from=2021-01-01&to=2023-12-31&groupBy=department`, { headers: auth });
  if (res.status !== 200) return [`GET /api/kpis?groupBy=department: ${res.status} ${await res.text()}`];
  const { groups = [] } = (await res.json()) as { groups?: { key: string; kpis: Record<string, { value: number | null }> }[] };
  const served = new Map(groups.map((g) => [g.key, g.kpis['evaluations.count']?.value ?? 0]));
  const problems: string[] = [];
  for (const department of DEPARTMENTS) {
    const want = expected.get(department)?.size ?? 0;
    const got = served.get(department) ?? 0;
    if (got !== want)
      problems.push(
        `evaluations.count for department ${JSON.stringify(department)}: served ${got}, sent ${want} (groups: ${JSON.stringify([...served])})`,
      );
  }
  return problems;
}

export function describeVerify(v: Awaited<ReturnType<typeof verifyAggregates>>): string {
  return Object.entries(v.feeds)
    .map(([feed, f]) => {
      const unbalanced = f.days.filter((d) => !d.balanced);
      if (f.differenceCount === 0 && f.liveSetDifferences === 0 && unbalanced.length === 0 && f.ledgerMatchesAccepted) return null;
      const diffs = f.differences.slice(0, 4).map((d) => `${d.day} ${d.field}: live ${d.live}, recomputed ${d.recomputed}`);
      return `${feed}: ${f.differenceCount} field differences, ${f.liveSetDifferences} live-set differences, ${unbalanced.length} unbalanced days, ledger ${f.ledgerMatchesAccepted ? '=' : '≠'} accepted; ${diffs.join('; ')}`;
    })
    .filter(Boolean)
    .join(' / ');
}
