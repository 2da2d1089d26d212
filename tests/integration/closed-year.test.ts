import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import type { ClosedYearStatus } from '../../shared/closed-year.ts';
import { KPI_BY_ID, type KpiValue } from '../../shared/kpis.ts';
import { generateYear, FEEDS } from '../../scripts/simulator/year.ts';
import { ApplyService, type IngestJobData } from '../../core/ingest/apply-service.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { closedYearKeys } from '../../core/services/closed-year/published-keys.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { testContext } from '../support/context.ts';
import { docxEntry } from '../support/docx-render.ts';

/**
 * The closed year (封账, REPORT.md v2) over a generated year, through the real server, worker and Redis:
 * published figures stay put while late records arrive, are counted once, survive a rebuild, are reported
 * apart by verify, and come in on reopening.
 */

const YEAR = 2022;
const { feeds } = generateYear({ year: YEAR, seed: 17, scale: 0.01 });

let app: TestApp;
let token: string;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitIdle(): Promise<void> {
  for (let i = 0; i < 1_200; i++) {
    const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean };
    if (status.idle) return;
    await sleep(100);
  }
  throw new Error('ingest did not become idle');
}

async function call(method: string, path: string, lang = 'zh-CN'): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${app.baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'accept-language': lang } });
  return { status: res.status, body: await res.json() };
}

/**
 * The period figures of GET /api/kpis: live figures (在办, 超时, 当前等候) and the 超期 part of 四类督办 are now,
 * not the period's, and stay live in a closed year too.
 */
async function kpis(from: string, to: string): Promise<Record<string, KpiValue>> {
  const res = await app.get(`/api/kpis?from=${from}&to=${to}`, token);
  expect(res.status).toBe(200);
  const all = ((await res.json()) as KpisResponse).kpis;
  return Object.fromEntries(Object.entries(all).filter(([id]) => KPI_BY_ID.get(id)!.kind !== 'live' && id !== 'hotline.supervised'));
}

async function download(query: string): Promise<Buffer> {
  const res = await app.get(`/api/export/annual?${query}`, token);
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

/** The year's evidence pack (佐证材料) and its manifest. */
async function evidence(): Promise<{ zip: Buffer; manifestSha256: string; signed: number | null }> {
  const res = await app.get(`/api/export/evidence?year=${YEAR}`, token);
  expect(res.status).toBe(200);
  const zip = Buffer.from(await res.arrayBuffer());
  const manifest = await docxEntry(zip, 'manifest.json');
  const { kpis } = JSON.parse(manifest.toString('utf8')) as { kpis: Record<string, { value: number | null }> };
  return { zip, manifestSha256: createHash('sha256').update(manifest).digest('hex'), signed: kpis['hotline.signed']!.value };
}

const status = async () => (await call('GET', `/api/admin/years/${YEAR}`)).body as ClosedYearStatus;

function runLedgerCli(command: 'verify' | 'rebuild'): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['scripts/ledger-cli.ts', command], {
      env: { ...process.env, REDIS_URL: app.config.REDIS_URL, REDIS_PREFIX: app.config.REDIS_PREFIX, LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** A batch applied the way the worker applies it, so the test can run the same job again. */
function directJob(batchId: string, raws: Record<string, unknown>[]): IngestJobData {
  const records = raws.map((raw) => {
    const result = FEED_MODULES.hotline.normalize(raw, { tz: 'Asia/Shanghai', hashPhone: (p) => p });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    return result.record;
  });
  return { feed: 'hotline', batchId, receivedAt: Date.now(), records, received: records.length, rejected: 0 };
}

const LATE = [
  { ticketId: 'LATE-1', type: 'signed', at: '2022-10-15T09:00:00+08:00', street: '文艺路街道', urgency: 'normal' },
  { ticketId: 'LATE-2', type: 'signed', at: '2022-10-15T10:00:00+08:00', street: '文艺路街道', urgency: 'normal' },
  { ticketId: 'LATE-3', type: 'signed', at: '2022-10-16T10:00:00+08:00', street: '朝阳街道', urgency: 'normal' },
  { ticketId: 'LATE-1', type: 'completed', at: '2022-10-16T11:00:00+08:00' },
];

let yearBefore: Record<string, KpiValue>;
let monthBefore: Record<string, KpiValue>;
let nextYearBefore: Record<string, KpiValue>;
let docxAtClose: Buffer;
let evidenceAtClose: Buffer;

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  for (const feed of FEEDS) {
    for (let i = 0; i < feeds[feed].length; i += 5_000) await app.ingest(feed, feeds[feed].slice(i, i + 5_000));
  }
  // The next year's online volume, whose 同比 reads the closed year.
  await app.ingest('online', [{ ...feeds.online[0]!, date: '2023-01-01' }]);
  await waitIdle();
}, 240_000);

afterAll(async () => {
  await app?.close();
});

describe('the closed year (封账)', () => {
  it('refuses a malformed or future year and reopening an open one, with specific messages', async () => {
    expect(await status()).toEqual({ year: YEAR, closed: false, adjustments: { records: 0, kpis: {} } });
    for (const bad of ['22', 'abcd', '1999', '20221']) {
      const res = await call('POST', `/api/admin/years/${bad}/close`);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(`年份应为 YYYY（2000–2100）：${bad}`);
    }
    const future = await call('POST', `/api/admin/years/2099/close`, 'en');
    expect(future.status).toBe(400);
    expect(JSON.stringify(future.body)).toMatch(/2099 has not begun; it cannot be closed/);
    const reopen = await call('DELETE', `/api/admin/years/${YEAR}/close`);
    expect(reopen.status).toBe(409);
    expect(JSON.stringify(reopen.body)).toContain('2022 年尚未封账');
  });

  it('closes the year, stores its export and refuses closing it twice', async () => {
    [yearBefore, monthBefore, nextYearBefore] = await Promise.all([
      kpis('2022-01-01', '2022-12-31'),
      kpis('2022-10-01', '2022-10-31'),
      kpis('2023-01-01', '2023-01-01'),
    ]);
    const closed = await call('POST', `/api/admin/years/${YEAR}/close`);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ year: YEAR, closed: true, closedBy: 'admin', adjustments: { records: 0, kpis: {} } });
    const again = await call('POST', `/api/admin/years/${YEAR}/close`);
    expect(again.status).toBe(409);
    expect(JSON.stringify(again.body)).toMatch(/2022 年已于 .* 由 admin 封账/);
    docxAtClose = await download(`year=${YEAR}&format=docx`);
    const stored = await app.redis.getBuffer(closedYearKeys(app.config.REDIS_PREFIX).exportFile(YEAR, 'docx'));
    expect(docxAtClose.equals(stored!)).toBe(true);
    // The evidence pack made at close: its manifest's hash is the one the stored DOCX prints.
    const pack = await evidence();
    evidenceAtClose = pack.zip;
    expect(pack.signed).toBe(yearBefore['hotline.signed']!.value);
    const xml = (await docxEntry(docxAtClose, 'word/document.xml')).toString('utf8');
    expect(/佐证材料清单（manifest\.json）SHA-256：([0-9a-f]{64})/.exec(xml)?.[1]).toBe(pack.manifestSha256);
  }, 120_000);

  it('keeps the published figures while late records arrive, and counts them once', async () => {
    // Four new records for the closed year, one duplicate of a published one, one for the next year.
    await app.ingest('hotline', [...LATE, feeds.hotline[0]!, { ...LATE[0]!, ticketId: 'NEXT-1', at: '2023-01-05T09:00:00+08:00' }]);
    await app.ingest('online', [{ ...feeds.online[0]!, itemCode: '430102-99-999' }]);
    await waitIdle();
    expect(await kpis('2022-01-01', '2022-12-31')).toEqual(yearBefore);
    expect(await kpis('2022-10-01', '2022-10-31')).toEqual(monthBefore);
    expect((await kpis('2023-01-01', '2023-01-01'))['online.yoyMultiple']).toEqual(nextYearBefore['online.yoyMultiple']);
    const s = await status();
    expect(s.adjustments.records).toBe(5);
    expect(s.adjustments.kpis['hotline.signed']).toEqual({
      published: yearBefore['hotline.signed']!.value,
      current: yearBefore['hotline.signed']!.value! + 3,
    });
    expect(s.adjustments.kpis['hotline.received']).toBeUndefined(); // unchanged: not listed

    // The same job run again (a retry), and a run whose worker died after applying but before counting.
    const apply = new ApplyService(testContext(app.redis, app.keys));
    const job = directJob('late-direct', [
      { ticketId: 'LATE-4', type: 'signed', at: '2022-11-01T09:00:00+08:00', street: '朝阳街道', urgency: 'normal' },
      { ticketId: 'LATE-5', type: 'signed', at: '2022-11-01T09:30:00+08:00', street: '朝阳街道', urgency: 'normal' },
    ]);
    await apply.applyBatch(job);
    expect((await status()).adjustments.records).toBe(7);
    await apply.applyBatch(job);
    expect((await status()).adjustments.records).toBe(7);
    const late = closedYearKeys(app.config.REDIS_PREFIX).lateRecords('hotline');
    await app.redis.multi().hdel(app.keys.appliedChunks('hotline', 'late-direct'), 'late').hincrby(late, String(YEAR), -2).exec();
    expect((await status()).adjustments.records).toBe(5);
    await apply.applyBatch(job); // every chunk replays; the count comes from the ledger
    expect((await status()).adjustments.records).toBe(7);
    expect(await kpis('2022-01-01', '2022-12-31')).toEqual(yearBefore);
  }, 60_000);

  it('serves the stored export of the year and the monthly report from the published figures', async () => {
    expect((await download(`year=${YEAR}&format=docx`)).equals(docxAtClose)).toBe(true);
    // Late records are in the ledger, not in the evidence of the published figures.
    expect((await evidence()).zip.equals(evidenceAtClose)).toBe(true);
    const month = JSON.parse((await download('from=2022-10-01&to=2022-10-31&format=json')).toString('utf8')) as {
      kpis: Record<string, KpiValue>;
    };
    expect(month.kpis['hotline.signed']!.value).toBe(monthBefore['hotline.signed']!.value);
    for (const [id, value] of Object.entries(month.kpis))
      if (monthBefore[id]?.value != null) expect([id, value.value]).toEqual([id, monthBefore[id]!.value]);
    const md = (await download('from=2022-10-01&to=2022-10-31&format=md')).toString('utf8');
    expect(md).toContain(`${monthBefore['hotline.signed']!.value}`);
  }, 60_000);

  it('rebuild never changes a published figure; verify reports the adjustments apart and passes', async () => {
    const rebuild = await runLedgerCli('rebuild');
    expect(rebuild.stderr).toBe('');
    expect(rebuild.code).toBe(0);
    expect(await kpis('2022-01-01', '2022-12-31')).toEqual(yearBefore);
    expect((await status()).adjustments.records).toBe(7);
    const verify = await runLedgerCli('verify');
    expect(verify.stdout).toContain('verify: zero difference');
    expect(verify.stdout).toMatch(/closed 2022 \(.* by admin\): 7 late records, \d+ KPIs adjusted/);
    expect(verify.stdout).toContain(
      `hotline.signed: published ${yearBefore['hotline.signed']!.value}, current ${yearBefore['hotline.signed']!.value! + 5}`,
    );
    expect(verify.code).toBe(0);
  }, 120_000);

  it('reopening brings the late records in, and both acts are audited', async () => {
    const reopened = await call('DELETE', `/api/admin/years/${YEAR}/close`);
    expect(reopened.status).toBe(200);
    expect(reopened.body).toEqual({ year: YEAR, closed: false, adjustments: { records: 0, kpis: {} } });
    const year = await kpis('2022-01-01', '2022-12-31');
    expect(year['hotline.signed']!.value).toBe(yearBefore['hotline.signed']!.value! + 5);
    expect(year['hotline.completed']!.value).toBe(yearBefore['hotline.completed']!.value! + 1);
    expect(await app.redis.exists(closedYearKeys(app.config.REDIS_PREFIX).exportFile(YEAR, 'docx'))).toBe(0);
    expect((await evidence()).signed).toBe(yearBefore['hotline.signed']!.value! + 5);
    const audit = (await (await app.get('/api/admin/audit?limit=20', token)).json()) as {
      entries: { actor: string; action: string; target: string; details?: Record<string, unknown> }[];
    };
    expect(audit.entries.find((e) => e.action === 'year.close')).toMatchObject({ actor: 'admin', target: '2022' });
    expect(audit.entries.find((e) => e.action === 'year.reopen')).toMatchObject({
      actor: 'admin',
      target: '2022',
      details: { lateRecords: 7 },
    });
  });
});
