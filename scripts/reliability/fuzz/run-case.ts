/** Scenario 6: one case against a fresh Pulse — every record sent by its path, then the checks. */
import { randomBytes } from 'node:crypto';
import type { IngestResponse } from '../../../shared/api-types.ts';
import { loadConfig } from '../../../core/platform/config.ts';
import { parseConnectors } from '../../../core/connectors/config.ts';
import { createLogger } from '../../../core/platform/logger.ts';
import { redisKeys } from '../../../core/platform/redis-keys.ts';
import { connectRedis } from '../../../core/platform/redis.ts';
import { DEFAULT_SETTINGS } from '../../../shared/settings.ts';
import { startServer } from '../../../server/server-process.ts';
import { ImportService } from '../../../core/imports/import-service.ts';
import { IngestService } from '../../../core/ingest/ingest-service.ts';
import { createCoreContext } from '../../../core/context.ts';
import { getOrCreateSecret } from '../../../core/services/secrets.ts';
import { SUPPORTED_FEEDS } from '../../../core/ingest/apply-service.ts';
import { startConnectors } from '../../../workers/connectors.ts';
import { verifyAggregates, withIngestPaused } from '../../../core/ledger/ledger-service.ts';
import { startWorker } from '../../../workers/worker-process.ts';
import type { FakeUpstream } from '../../../tests/support/fake-upstream.ts';
import { ingestTotals } from '../checks.ts';
import { ADMIN_PASSWORD, INGEST_TOKEN, sleep } from '../harness.ts';
import { overflowRecords, type FuzzCase } from './cases.ts';
import { checkBreakdown, describeVerify, namesTheFault, reconcileCase } from './checks.ts';
import type { Path } from './generators.ts';

// ── One case against a fresh Pulse ───────────────────────────────────────────────────────────────

export interface FuzzTally {
  cases: number;
  requests: number;
  records: number;
  bad: number;
  open: number;
  byPath: Record<Path, number>;
}

export const emptyFuzzTally = (): FuzzTally => ({
  cases: 0,
  requests: 0,
  records: 0,
  bad: 0,
  open: 0,
  byPath: { json: 0, ndjson: 0, csv: 0, connector: 0 },
});

/** A CSV cell; `null` and absent are an empty cell, which FEEDS.md reads as an absent field. */
const csvCell = (v: unknown) => (v === undefined || v === null ? '' : `"${String(v).replace(/"/g, '""')}"`);

/** Runs one case on its own key prefix; returns every problem found (empty: the case passed). */
export async function runCase(fuzzCase: FuzzCase, redisUrl: string, upstream: FakeUpstream, tally: FuzzTally): Promise<string[]> {
  const records = [...fuzzCase.records, ...overflowRecords(fuzzCase.overflowRows)];
  const problems: string[] = [];
  const prefix = `fz${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    ADMIN_PASSWORD,
    INGEST_TOKEN,
    LOG_LEVEL: 'silent',
  });
  const log = createLogger('silent', 'fuzz');
  const keys = redisKeys(prefix);
  const server = await startServer(config, redisUrl, log);
  const worker = startWorker(config, redisUrl, log);
  const redis = connectRedis(redisUrl, 'blocking', 'fuzz');
  const base = `http://127.0.0.1:${server.port}`;
  tally.cases++;
  tally.records += records.length;
  tally.bad += records.filter((r) => r.expect === 'invalid').length;
  tally.open += records.filter((r) => r.expect === 'either').length;
  for (const r of records) tally.byPath[r.path]++;
  /** Records the server refused at validation, by their position in `records`; the connector's are counted below. */
  const refused = new Set<number>();
  const checkRefusals = (where: string, sent: number[], rejected: { index: number; errors: string[] }[]) => {
    const byIndex = new Map(rejected.map((r) => [r.index, r.errors]));
    sent.forEach((n, i) => {
      const r = records[n]!;
      const errors = byIndex.get(i);
      if (errors) refused.add(n);
      if (r.expect === 'valid' && errors)
        problems.push(`${where} #${i} (${r.feed}) valid record refused: ${JSON.stringify(errors)} — ${JSON.stringify(r.raw)}`);
      if (r.expect === 'invalid' && !errors)
        problems.push(`${where} #${i} (${r.feed}) bad record kept (${r.badField ?? 'not an object'}) — ${r.text ?? JSON.stringify(r.raw)}`);
      if (r.expect === 'invalid' && errors && !namesTheFault(r, errors))
        problems.push(`${where} #${i} (${r.feed}) refused without naming ${r.badField ?? 'the record'}: ${JSON.stringify(errors)}`);
    });
  };
  try {
    const token = await login(base);
    const auth = { authorization: `Bearer ${token}` };
    for (const feed of SUPPORTED_FEEDS) {
      const of = (path: Path) => records.flatMap((r, n) => (r.feed === feed && r.path === path ? [n] : []));
      // JSON: { "events": [...] }, written by hand so that a field may appear twice.
      const json = of('json');
      if (json.length > 0) {
        const body = `{"events":[${json.map((n) => records[n]!.text ?? JSON.stringify(records[n]!.raw)).join(',')}]}`;
        const res = await post(`${base}/api/ingest/${feed}`, 'application/json', body, tally);
        if (res.status !== 202) problems.push(`JSON ${feed}: ${res.status} ${JSON.stringify(res.body)}`);
        else checkRefusals(`JSON ${feed}`, json, (res.body as IngestResponse).rejected);
      }
      // NDJSON: one record a line, and a line that is no JSON (refused alone).
      const nd = of('ndjson');
      if (nd.length > 0) {
        const body = `${nd.map((n) => records[n]!.text ?? JSON.stringify(records[n]!.raw)).join('\n')}\n{"truncated": \n`;
        const res = await post(`${base}/api/ingest/${feed}`, 'application/x-ndjson', body, tally);
        tally.bad++;
        tally.records++;
        if (res.status !== 202) problems.push(`NDJSON ${feed}: ${res.status} ${JSON.stringify(res.body)}`);
        else {
          const rejected = (res.body as IngestResponse).rejected;
          checkRefusals(`NDJSON ${feed}`, nd, rejected);
          const last = rejected.find((r) => r.index === nd.length);
          if (!last || !/JSON/.test(last.errors.join(' ')))
            problems.push(`NDJSON ${feed}: the line that is no JSON was not refused as such: ${JSON.stringify(last)}`);
        }
      }
      // CSV through POST /api/imports, English column names; row 1 is the header.
      const csv = of('csv');
      if (csv.length > 0) {
        const columns = [...new Set(csv.flatMap((n) => Object.keys(records[n]!.raw as object)))];
        const lines = [
          columns.join(','),
          ...csv.map((n) => columns.map((c) => csvCell((records[n]!.raw as Record<string, unknown>)[c])).join(',')),
        ];
        const form = new FormData();
        form.set('feed', feed);
        form.set('file', new Blob([`${lines.join('\n')}\n`]), `${feed}.csv`);
        tally.requests++;
        const res = await fetch(`${base}/api/imports`, { method: 'POST', headers: auth, body: form });
        if (res.status !== 202) problems.push(`import ${feed}: ${res.status} ${await res.text()}`);
        else {
          const { importId } = (await res.json()) as { importId: string };
          let result: { phase: string; error?: string; rejected?: { row: number; errors: string[] }[] } = { phase: 'queued' };
          for (let i = 0; i < 3_000 && result.phase !== 'done' && result.phase !== 'failed'; i++) {
            if (i > 0) await sleep(50);
            result = (await (await fetch(`${base}/api/imports/${importId}?limit=1000`, { headers: auth })).json()) as typeof result;
            tally.requests++;
          }
          if (result.phase !== 'done') problems.push(`import ${feed}: ${result.phase} ${result.error ?? ''}`);
          else
            checkRefusals(
              `CSV ${feed}`,
              csv,
              (result.rejected ?? []).map((r) => ({ index: r.row - 2, errors: r.errors })),
            );
        }
      }
    }
    // The HTTP pull connector: one page per feed, as an outside system serves it.
    const pulled = SUPPORTED_FEEDS.filter((feed) => records.some((r) => r.feed === feed && r.path === 'connector'));
    let connectorSent = 0;
    let connectorInvalid = 0;
    let connectorOpen = 0;
    if (pulled.length > 0) {
      const piiKey = await getOrCreateSecret(redis, keys, 'pii-key');
      const core = createCoreContext({ redis, keys, log, tz: config.TZ_REPORT });
      const ingest = new IngestService(core, redisUrl, config, piiKey.value);
      const imports = new ImportService(core, ingest);
      const entries = pulled.map((feed) => {
        const items = records.filter((r) => r.feed === feed && r.path === 'connector').map((r) => r.raw);
        connectorSent += items.length;
        upstream.route(`/${prefix}/${feed}`, () => ({ body: { items, next: null } }));
        return {
          id: `fuzz-${feed.toLowerCase()}`,
          kind: 'http',
          feed,
          url: `${upstream.baseUrl}/${prefix}/${feed}`,
          intervalSeconds: 3_600,
          retry: { attempts: 2, backoffSeconds: 0.05 },
          cursor: { kind: 'page', param: 'page' },
          paging: { itemsPath: 'items', nextPath: 'next' },
        };
      });
      connectorInvalid = records.filter((r) => r.path === 'connector' && r.expect === 'invalid').length;
      connectorOpen = records.filter((r) => r.path === 'connector' && r.expect === 'either').length;
      const connectors = startConnectors(config, redisUrl, redis, log, ingest, imports, {
        connectors: parseConnectors({ connectors: entries }, { env: {} }),
      });
      try {
        for (const feed of pulled) {
          await connectors.runNow(`fuzz-${feed.toLowerCase()}`);
          const again = await connectors.runNow(`fuzz-${feed.toLowerCase()}`); // caught up: nothing new
          tally.requests += 2;
          if (again.received !== 0) problems.push(`connector ${feed}: a second run took ${again.received} records again`);
        }
      } finally {
        await connectors.close();
        await imports.drain();
        await ingest.close();
      }
    }

    // Everything applied: no batch failed, verify zero difference, the statistics reconcile.
    const status = await waitIdle(base, auth);
    const failed = Object.values(status.feeds).reduce((n, c) => n + c.failed, 0);
    if (failed > 0) problems.push(`${failed} batches failed`);
    const ctx = { tz: config.TZ_REPORT, settings: DEFAULT_SETTINGS };
    const verify = await withIngestPaused(redisUrl, keys, SUPPORTED_FEEDS, (pending) =>
      verifyAggregates(redis, keys, SUPPORTED_FEEDS, ctx, pending),
    );
    if (!verify.ok) problems.push(`verify: ${describeVerify(verify)}`);
    const totals = await ingestTotals(redisUrl, prefix);
    problems.push(...reconcileCase(records, refused, totals, { sent: connectorSent, invalid: connectorInvalid, open: connectorOpen }));
    problems.push(...(await checkBreakdown(base, auth, records, refused)));
  } finally {
    await worker.close();
    await server.close();
    redis.disconnect();
  }
  return problems;
}

async function login(base: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
  return ((await res.json()) as { token: string }).token;
}

async function post(url: string, contentType: string, body: string, tally: FuzzTally): Promise<{ status: number; body: unknown }> {
  tally.requests++;
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${INGEST_TOKEN}` }, body });
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: res.status, body: text };
  }
}

async function waitIdle(base: string, auth: Record<string, string>): Promise<{ feeds: Record<string, { failed: number }> }> {
  for (let i = 0; i < 1_200; i++) {
    const status = (await (await fetch(`${base}/api/ingest/status`, { headers: auth })).json()) as {
      idle: boolean;
      feeds: Record<string, { failed: number }>;
    };
    if (status.idle) return status;
    await sleep(25);
  }
  throw new Error('ingest did not become idle within 30 s');
}
