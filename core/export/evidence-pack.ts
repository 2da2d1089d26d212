import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { once } from 'node:events';
import { pipeline } from 'node:stream/promises';
import type { Writable } from 'node:stream';
import archiver from 'archiver';
import type { Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { Settings } from '../../shared/settings.ts';
import { addDays, dayStartUtc, type LocalDay } from '../../shared/time.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { mastersOf } from '../platform/redis.ts';
import { readEntities, recordsBySlot } from '../ingest/entity-plan.ts';
import { applierOf } from '../feeds/index.ts';
import { sameDayLastYear } from '../services/bucket-reader.ts';
import type { KpiSource } from './export-model.ts';
import { periodKind, type Period } from './period-label.ts';
import { EVIDENCE_EXCLUDED, EVIDENCE_NOTE, evidenceKpis, type EvidenceSide } from './evidence-sides.ts';
import { evidenceHeader, evidenceLine } from './evidence-rows.ts';

/**
 * The evidence pack (佐证材料, REPORT.md v2): for every count and rate of the export, the ledger entities
 * behind each side as a UTF-8-with-BOM CSV, with a manifest.json naming each file's rows and SHA-256.
 * Membership comes from each feed's own contribution function (the one the day buckets are summed from),
 * so a file's rows (or the sum of its `column`) equal the served figure. The ledger is read with SCAN for
 * the entity ids of a feed (only ids are kept, sorted so rows come in entity order), then with pipelined
 * HGETALL 500 entities at a time; rows go to temporary files while they are hashed, and the files are
 * streamed into the ZIP after the manifest. With no destination (`out` null) nothing is written: the same
 * pass yields the same manifest and its SHA-256, which the DOCX prints.
 */

export interface EvidenceDeps {
  redis: Redis;
  keys: RedisKeys;
  tz: string;
  settings: Settings;
  now: () => number;
  kpis: Pick<KpiSource, 'getKpis'>;
}

export interface EvidenceFileEntry {
  name: string;
  side: 'value' | 'numerator' | 'denominator';
  /** `rows`: the figure is the number of rows; `sum`: it is the sum of `column`. */
  relation: 'rows' | 'sum';
  column?: string;
  rows: number;
  sum?: number;
  sha256: string;
}

export interface EvidenceManifest {
  year?: number;
  from?: string;
  to?: string;
  generatedAt: string | null;
  timeZone: string;
  kpis: Record<string, { value: number | null; numerator?: number; denominator?: number; files: EvidenceFileEntry[] }>;
  excluded: Record<string, string>;
  note: string;
}

export interface EvidenceResult {
  manifest: EvidenceManifest;
  /** The manifest.json bytes as written into the ZIP. */
  manifestJson: Buffer;
  manifestSha256: string;
}

/** Progress: entities read so far of the feeds' total. */
export type EvidenceProgress = (done: number, total: number) => void;

const CHUNK = 500;
const FLUSH_BYTES = 1 << 16;

/** One file of the pack being written: hashed as it goes, its lines buffered to a temporary file (if any). */
interface SideFile {
  side: EvidenceSide;
  from: LocalDay;
  to: LocalDay;
  /** The period as instants: a local day of [from, to] is an instant of [start, end). */
  start: number;
  end: number;
  fields: ReadonlySet<string>;
  hash: Hash;
  rows: number;
  sum: number;
  pending: string[];
  pendingBytes: number;
  out: WriteStream | null;
}

async function flush(file: SideFile): Promise<void> {
  if (!file.out || file.pending.length === 0) return;
  const chunk = file.pending.join('');
  file.pending = [];
  file.pendingBytes = 0;
  if (!file.out.write(chunk)) await once(file.out, 'drain');
}

/** Every ledger entity id of a feed, sorted (SCAN: ids only; a feed's ledger is in one slot, on one master). */
async function entityIds(redis: Redis, keys: RedisKeys, feed: FeedName): Promise<string[]> {
  const prefixLength = keys.ledger(feed, '').length;
  const ids: string[] = [];
  for (const node of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', keys.ledgerPattern(feed), 'COUNT', 5_000);
      for (const key of found) ids.push(key.slice(prefixLength));
      cursor = next;
    } while (cursor !== '0');
  }
  return ids.sort();
}

/** Reads the covered feeds' ledgers once and writes (or only hashes) every side's rows. */
async function scanSides(deps: EvidenceDeps, files: SideFile[], onProgress: EvidenceProgress): Promise<void> {
  const { redis, keys, tz, settings } = deps;
  const now = deps.now();
  const feeds = [...new Set(files.map((f) => f.side.feed))];
  const idsByFeed = new Map<FeedName, string[]>();
  for (const feed of feeds) idsByFeed.set(feed, await entityIds(redis, keys, feed));
  const total = [...idsByFeed.values()].reduce((n, ids) => n + ids.length, 0);
  let done = 0;
  for (const feed of feeds) {
    const ids = idsByFeed.get(feed)!;
    idsByFeed.delete(feed);
    const applier = applierOf(feed);
    const mine = files.filter((f) => f.side.feed === feed);
    const fetchChunk = (i: number) =>
      readEntities<{ id: string }>(
        redis,
        ids.slice(i, i + CHUNK).map((id) => keys.ledger(feed, id)),
      );
    // Redis reads the next chunk while this process writes the rows of the current one.
    let next = fetchChunk(0);
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK);
      const hashes = await next;
      if (i + CHUNK < ids.length) (next = fetchChunk(i + CHUNK)).catch(() => undefined); // awaited next turn
      chunk.forEach((entity, j) => {
        const { slots } = hashes[j]!;
        if (slots.size === 0) return;
        const records = recordsBySlot(slots);
        const contribution = applier.contribution(entity, records, { settings, tz });
        for (const file of mine) {
          let counted = 0;
          let sum = 0;
          let at = Infinity;
          for (const e of contribution.entries) {
            if (!file.fields.has(e.field) || e.at < file.start || e.at >= file.end) continue;
            counted++;
            sum += e.n ?? 1;
            at = Math.min(at, e.at);
          }
          if (file.side.overdueOpen) {
            for (const m of contribution.members ?? []) {
              const day = m.member.slice(0, 10);
              if (m.set !== 'open' || m.score > now || day < file.from || day > file.to) continue;
              counted++;
              at = Math.min(at, m.score);
            }
          }
          if (counted === 0) continue;
          const line = evidenceLine(file.side.rows, entity, records, at, tz);
          file.hash.update(line);
          file.rows++;
          file.sum += sum;
          if (file.out) {
            file.pending.push(line);
            file.pendingBytes += line.length;
          }
        }
      });
      for (const file of mine) if (file.pendingBytes >= FLUSH_BYTES) await flush(file);
      onProgress((done += chunk.length), total);
    }
  }
}

/** The instant of the newest applied batch of the covered feeds (`<p>:{applied}:feeds:last`): the same for unchanged data. */
async function newestBatch(redis: Redis, keys: RedisKeys, feeds: readonly FeedName[]): Promise<string | null> {
  const last = await redis.hmget(keys.lastRecordAt(), ...feeds);
  const newest = Math.max(...last.map((v) => Number(v ?? 0)));
  return newest > 0 ? new Date(newest).toISOString() : null;
}

/**
 * Builds the pack of `period`. With `out`, the ZIP (manifest.json, then the CSVs in name order) is piped to
 * it and ended; with null, only the manifest is built (the hash pass of the DOCX). Returns the manifest and
 * its SHA-256. A closed year can store its pack by passing a file stream.
 */
export async function writeEvidencePack(
  deps: EvidenceDeps,
  period: Period,
  out: Writable | null,
  onProgress: EvidenceProgress = () => undefined,
): Promise<EvidenceResult> {
  const kpis = evidenceKpis(deps.settings);
  const sides = new Map<string, EvidenceSide>();
  for (const k of kpis) for (const s of [k.value, k.numerator, k.denominator]) if (s) sides.set(s.file, s);
  const dir = out ? await mkdtemp(join(tmpdir(), 'pulse-evidence-')) : null;
  const files = new Map<string, SideFile>();
  try {
    for (const side of [...sides.values()].sort((a, b) => (a.file < b.file ? -1 : 1))) {
      const header = evidenceHeader(side.rows);
      const path = dir ? join(dir, side.file) : null;
      if (path) await mkdir(dirname(path), { recursive: true });
      const from = side.previousYear ? sameDayLastYear(period.from) : period.from;
      const to = side.previousYear ? sameDayLastYear(period.to) : period.to;
      const file: SideFile = {
        side,
        from,
        to,
        start: dayStartUtc(from, deps.tz),
        end: dayStartUtc(addDays(to, 1), deps.tz),
        fields: new Set(side.fields),
        hash: createHash('sha256').update(header),
        rows: 0,
        sum: 0,
        pending: [header],
        pendingBytes: header.length,
        out: path ? createWriteStream(path) : null,
      };
      files.set(side.file, file);
    }
    const feeds = [...new Set([...sides.values()].map((s) => s.feed))];
    const [served, generatedAt] = await Promise.all([
      deps.kpis.getKpis(period.from, period.to),
      newestBatch(deps.redis, deps.keys, feeds),
      scanSides(deps, [...files.values()], onProgress),
    ]);
    for (const file of files.values()) {
      await flush(file);
      if (file.out) await new Promise<void>((resolve, reject) => file.out!.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    const digests = new Map([...files].map(([name, f]) => [name, f.hash.digest('hex')]));
    const entry = (kind: EvidenceFileEntry['side'], side: EvidenceSide): EvidenceFileEntry => {
      const f = files.get(side.file)!;
      return {
        name: side.file,
        side: kind,
        relation: side.sumColumn ? 'sum' : 'rows',
        ...(side.sumColumn && { column: side.sumColumn }),
        rows: f.rows,
        ...(side.sumColumn && { sum: f.sum }),
        sha256: digests.get(side.file)!,
      };
    };
    const manifest: EvidenceManifest = {
      ...(periodKind(period) === 'year' ? { year: Number(period.from.slice(0, 4)) } : { from: period.from, to: period.to }),
      generatedAt,
      timeZone: deps.tz,
      kpis: {},
      excluded: { ...EVIDENCE_EXCLUDED },
      note: EVIDENCE_NOTE,
    };
    for (const k of [...kpis].sort((a, b) => (a.id < b.id ? -1 : 1))) {
      const v = served.kpis[k.id] ?? { value: null };
      const list: EvidenceFileEntry[] = [];
      if (k.value) list.push(entry('value', k.value));
      if (k.numerator) list.push(entry('numerator', k.numerator));
      if (k.denominator) list.push(entry('denominator', k.denominator));
      manifest.kpis[k.id] = {
        value: v.value,
        ...(v.numerator !== undefined && { numerator: v.numerator }),
        ...(v.denominator !== undefined && { denominator: v.denominator }),
        files: list,
      };
    }
    const manifestJson = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
    const manifestSha256 = createHash('sha256').update(manifestJson).digest('hex');
    if (out && dir) {
      const zip = archiver('zip', { zlib: { level: 1 } });
      const date = generatedAt ? new Date(generatedAt) : new Date(0);
      const piped = pipeline(zip, out);
      zip.append(manifestJson, { name: 'manifest.json', date });
      for (const name of files.keys()) zip.append(createReadStream(join(dir, name)), { name, date });
      await Promise.all([zip.finalize(), piped]);
    }
    return { manifest, manifestJson, manifestSha256 };
  } finally {
    for (const f of files.values()) f.out?.destroy();
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
