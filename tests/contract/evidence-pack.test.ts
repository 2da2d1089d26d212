import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import yauzl from 'yauzl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpisResponse } from '../../shared/api-types.ts';
import type { KpiValue } from '../../shared/kpis.ts';
import { FEEDS, generateYear } from '../../scripts/simulator/year.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { docxEntry } from '../support/docx-render.ts';
import { APPENDIX_TABLES } from '../../core/export/export-model.ts';
import type { EvidenceManifest } from '../../core/export/evidence-pack.ts';

/**
 * The evidence pack (佐证材料) of a generated year through the real app: for every KPI of the manifest, each
 * CSV's rows (or the sum of the column the manifest names) equal the figure GET /api/kpis serves for the
 * year, every file's SHA-256 is the manifest's, and the manifest's SHA-256 is the one the DOCX prints.
 */

const YEAR = 2022;
const { feeds } = generateYear({ year: YEAR, seed: 17, scale: 0.02, previousYear: true });
const displayToken = 'display-token-for-evidence-tests-01';
let app: TestApp;
let token: string;
let api: Record<string, KpiValue>;
let pack: Map<string, Buffer>;
let manifest: EvidenceManifest;

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** Every entry of a ZIP, by name. */
function unzip(data: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.fromBuffer(data, { lazyEntries: true }, (err, zip) => {
      if (err) return reject(err);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function download(path: string): Promise<Buffer> {
  const res = await app.get(path, token);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return Buffer.from(await res.arrayBuffer());
}

/** A CSV's data lines split into cells (the generated year's cells hold no quoted commas or line breaks but in quotes). */
function csvRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const line of text.split('\r\n').slice(1)) {
    if (line === '') continue;
    const cells: string[] = [];
    for (const m of line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)) {
      cells.push(m[1]!.startsWith('"') ? m[1]!.slice(1, -1).replace(/""/g, '"') : m[1]!);
      if (m[2] === '') break;
    }
    rows.push(cells);
  }
  return rows;
}

beforeAll(async () => {
  app = await startTestApp();
  token = await app.login();
  await app.redis.hset(
    app.keys.displayTokens(),
    createHash('sha256').update(displayToken).digest('hex'),
    JSON.stringify({ name: 'lobby', createdAt: new Date().toISOString() }),
  );
  for (const feed of FEEDS) {
    for (let i = 0; i < feeds[feed].length; i += 5_000) await app.ingest(feed, feeds[feed].slice(i, i + 5_000));
  }
  await app.waitIdle(token);
  api = ((await (await app.get(`/api/kpis?from=${YEAR}-01-01&to=${YEAR}-12-31`, token)).json()) as KpisResponse).kpis;
  pack = await unzip(await download(`/api/export/evidence?year=${YEAR}`));
  manifest = JSON.parse(pack.get('manifest.json')!.toString('utf8')) as EvidenceManifest;
}, 240_000);
afterAll(() => app?.close());

describe('the evidence pack of a generated year', () => {
  it('has the year, and every file the manifest names and no other', () => {
    expect(manifest.year).toBe(YEAR);
    const named = new Set(Object.values(manifest.kpis).flatMap((k) => k.files.map((f) => f.name)));
    expect([...pack.keys()].filter((n) => n !== 'manifest.json').sort()).toEqual([...named].sort());
    expect(named.size).toBeGreaterThan(20);
  });

  it('proves every figure: each CSV has as many rows as the KPI API counts (or its column sums to it), with the manifest’s SHA-256', () => {
    let checked = 0;
    for (const [id, entry] of Object.entries(manifest.kpis)) {
      const served = api[id]!;
      expect(entry.value, id).toBe(served.value);
      for (const file of entry.files) {
        const data = pack.get(file.name)!;
        expect(sha256(data), file.name).toBe(file.sha256);
        const figure = file.side === 'value' ? served.value : file.side === 'numerator' ? served.numerator : served.denominator;
        expect(figure, `${id} ${file.side}`).toBeGreaterThan(0);
        const text = data.toString('utf8');
        const rows = csvRows(text);
        expect(rows.length, file.name).toBe(file.rows);
        if (file.relation === 'rows') {
          expect(rows.length, `${id} ${file.side}: rows of ${file.name}`).toBe(figure);
        } else {
          const column = text.slice(1, text.indexOf('\r\n')).split(',').indexOf(file.column!);
          expect(column, file.column).toBeGreaterThanOrEqual(0);
          const sum = rows.reduce((s, r) => s + Number(r[column]), 0);
          expect(sum, `${id} ${file.side}: sum of ${file.column} in ${file.name}`).toBe(figure);
          expect(file.sum).toBe(figure);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(36);
  });

  it('covers every count and rate the export quotes, or says why not', () => {
    const sentences = readFileSync(new URL('../../templates/sentences.txt', import.meta.url), 'utf8')
      .split('\n')
      .filter((l) => !l.startsWith('#'));
    const quoted = new Set([
      ...APPENDIX_TABLES.flatMap((t) => t.kpiIds),
      ...sentences.flatMap((l) => [...l.matchAll(/\{([a-zA-Z]+\.[a-zA-Z0-9]+)/g)].map((m) => m[1]!)),
      ...[...readFileSync(new URL('../../templates/indicators/national.yaml', import.meta.url), 'utf8').matchAll(/kpi: ([a-zA-Z.0-9]+)/g)]
        .map((m) => m[1]!)
        .filter((id) => id !== 'null'),
    ]);
    expect(quoted.size).toBeGreaterThan(25);
    for (const id of quoted) expect(id in manifest.kpis || id in manifest.excluded, id).toBe(true);
  });

  it('writes UTF-8 CSVs with a BOM and Chinese headers first, rows in entity order, and never a caller’s number', () => {
    const phones = new Set(
      (feeds.hotline as { callerPhone?: string }[]).filter((r) => r.callerPhone).map((r) => r.callerPhone!.replace(/-/g, '')),
    );
    expect(phones.size).toBeGreaterThan(10);
    const signed = pack.get('hotline/signed.csv')!;
    expect([...signed.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(signed.toString('utf8').startsWith('\uFEFF工单编号（ticketId）,')).toBe(true);
    const ids = csvRows(signed.toString('utf8')).map((r) => r[0]!);
    expect(ids).toEqual([...ids].sort());
    for (const [name, data] of pack) {
      if (name === 'manifest.json') continue;
      const text = data.toString('utf8');
      expect(text.startsWith('\uFEFF'), name).toBe(true);
      expect(/^\uFEFF[\u4e00-\u9fff]/.test(text), name).toBe(true);
      expect(text.slice(0, text.indexOf('\r\n'))).not.toMatch(/来电号码|callerPhone|callerHash/);
      for (const digits of text.match(/\d{11}/g) ?? []) expect(phones.has(digits), `${name}: ${digits}`).toBe(false);
    }
  });

  it('gives the same manifest bytes for the same data, and the DOCX prints its SHA-256 (a step of the export’s progress)', async () => {
    const again = await unzip(await download(`/api/export/evidence?year=${YEAR}`));
    expect(again.get('manifest.json')!.equals(pack.get('manifest.json')!)).toBe(true);
    const started = await fetch(`${app.baseUrl}/api/exports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ year: YEAR, formats: ['docx'] }),
    });
    const { exportId } = (await started.json()) as { exportId: string };
    let status: { phase: string; stepsDone: number; stepsTotal: number; files: { url: string }[] } | undefined;
    for (let i = 0; i < 1_200 && status?.phase !== 'done'; i++) {
      if (i > 0) await new Promise((r) => setTimeout(r, 100));
      status = (await (await app.get(`/api/exports/${exportId}`, token)).json()) as typeof status;
      expect(status!.phase).not.toBe('failed');
    }
    // Reading figures, the manifest's hash pass, writing the DOCX.
    expect(status).toMatchObject({ phase: 'done', stepsDone: 3, stepsTotal: 3 });
    const xml = (await docxEntry(await download(status!.files[0]!.url), 'word/document.xml')).toString('utf8');
    const printed = /佐证材料清单（manifest\.json）SHA-256：([0-9a-f]{64})/.exec(xml)?.[1];
    expect(printed).toBe(sha256(pack.get('manifest.json')!));
  }, 180_000);

  it('serves another period with from/to in its manifest', async () => {
    const month = await unzip(await download(`/api/export/evidence?from=${YEAR}-03-01&to=${YEAR}-03-31`));
    const m = JSON.parse(month.get('manifest.json')!.toString('utf8')) as EvidenceManifest;
    expect([m.year, m.from, m.to]).toEqual([undefined, `${YEAR}-03-01`, `${YEAR}-03-31`]);
    const served = ((await (await app.get(`/api/kpis?from=${YEAR}-03-01&to=${YEAR}-03-31`, token)).json()) as KpisResponse).kpis;
    expect(m.kpis['hotline.signed']!.files[0]!.rows).toBe(served['hotline.signed']!.value);
  }, 60_000);
});

describe('GET /api/export/evidence refuses', () => {
  const refusal = async (query: string, tokenOf = () => token) => {
    const res = await fetch(`${app.baseUrl}/api/export/evidence${query}`, {
      headers: { authorization: `Bearer ${tokenOf()}`, 'accept-language': 'en' },
    });
    return { status: res.status, body: (await res.json()) as { error: { code: string; message: string } } };
  };

  it('a year that is not a number, a period ending before it starts, and no period, each with its reason', async () => {
    expect(await refusal('?year=twenty')).toMatchObject({ status: 400, body: { error: { message: '`year` must be YYYY' } } });
    expect(await refusal('?from=2022-05-01&to=2022-04-01')).toMatchObject({
      status: 400,
      body: { error: { message: '`to` is before `from`' } },
    });
    expect(await refusal('')).toMatchObject({ status: 400, body: { error: { message: 'give `year` or `from` (and `to`)' } } });
    const zh = await fetch(`${app.baseUrl}/api/export/evidence?year=abc`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await zh.json()) as { error: { message: string } }).error.message).toBe('year 应为 YYYY');
  });

  it('a display screen (403) and no token (401)', async () => {
    expect((await refusal(`?year=${YEAR}`, () => displayToken)).status).toBe(403);
    expect((await fetch(`${app.baseUrl}/api/export/evidence?year=${YEAR}`)).status).toBe(401);
  });
});
