import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { access, mkdir, readdir, rename, stat, writeFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import type { FolderConnectorConfig } from './config.ts';
import { AppError } from '../platform/errors.ts';
import type { ImportProgress } from '../../shared/socket-events.ts';
import { MAX_REJECTED_KEPT, type RejectedRow } from '../imports/import-service.ts';
import { renderMessage } from '../../shared/messages/index.ts';
import { emptySummary, SourceError, type Connector, type ConnectorDeps, type ConnectorRunSummary } from './connector.ts';

const IMPORTABLE = /\.(csv|xlsx)$/i;
const IMPORT_POLL_MS = 100;

const englishRows = (rows: RejectedRow[]) => rows.map((r) => ({ row: r.row, errors: r.errors.map((m) => renderMessage(m, 'en')) }));
/** What a drop folder remembers of a file it has seen but not imported yet. */
interface Observation {
  size: number;
  mtimeMs: number;
  /** When this size and mtime were first seen (epoch ms). */
  stableSince: number;
}

/** `<file>.result.json`, written beside the file in done/ or failed/. */
export interface DropFileResult {
  file: string;
  connectorId: string;
  feed: string;
  sha256: string;
  status: 'imported' | 'duplicate_file' | 'failed';
  importId?: string;
  rowsRead?: number;
  recordsQueued?: number;
  rejectedRows?: number;
  counts?: ImportProgress['counts'];
  unknownColumns?: string[];
  /** Rejected rows with their row numbers and reasons (the first 100,000). */
  /** Refused rows with their reasons in English (an operator's file). */
  rejected?: { row: number; errors: string[] }[];
  error?: string;
  /** For a duplicate file: the import that read the same bytes before. */
  duplicateOf?: { file: string; importId: string; importedAt: string };
  finishedAt: string;
}

/**
 * A drop folder: CSV/XLSX files are imported once written completely — their size and mtime unchanged
 * for `stableForSeconds`, over two looks at least, so a half-copied file is never read — through
 * ImportService (the path of uploads), then moved to `done/` (or `failed/` when the import failed or
 * refused every row) with `<file>.result.json` beside them. A file whose SHA-256 was imported before
 * for the feed goes to done/ as a duplicate file without being read again.
 */
export class FolderConnector implements Connector {
  private readonly c: FolderConnectorConfig;
  private readonly deps: ConnectorDeps;

  constructor(c: FolderConnectorConfig, deps: ConnectorDeps) {
    this.c = c;
    this.deps = deps;
  }

  async run(): Promise<ConnectorRunSummary> {
    const summary = emptySummary();
    summary.files = [];
    const { redis, keys } = this.deps;
    const filesKey = keys.connectorFiles(this.c.id);
    let names: string[];
    try {
      names = (await readdir(this.c.path, { withFileTypes: true }))
        .filter((e) => e.isFile() && IMPORTABLE.test(e.name) && !e.name.startsWith('.') && !e.name.startsWith('~$'))
        .map((e) => e.name)
        .sort();
    } catch (err) {
      throw new SourceError(`cannot read the drop folder ${this.c.path}: ${(err as Error).message}`);
    }
    const observed = await redis.hgetall(filesKey);
    const gone = Object.keys(observed).filter((name) => !names.includes(name));
    if (gone.length > 0) await redis.hdel(filesKey, ...gone);

    for (const name of names) {
      const path = join(this.c.path, name);
      const st = await stat(path).catch(() => null);
      if (!st) continue; // moved away meanwhile
      const now = this.deps.now();
      const before = observed[name] ? (JSON.parse(observed[name]) as Observation) : null;
      if (!before || before.size !== st.size || before.mtimeMs !== st.mtimeMs) {
        const seen: Observation = { size: st.size, mtimeMs: st.mtimeMs, stableSince: now };
        await redis.hset(filesKey, name, JSON.stringify(seen));
        continue; // new or still being written
      }
      if (now - before.stableSince < this.c.stableForSeconds * 1000) continue;
      const outcome = await this.importFile(name, path, summary);
      if (outcome === 'paused') break;
      await redis.hdel(filesKey, name);
    }
    return summary;
  }

  private async importFile(name: string, path: string, summary: ConnectorRunSummary): Promise<'done' | 'paused'> {
    const { redis, keys, imports } = this.deps;
    const sha256 = await sha256Of(path);
    const base = { file: name, connectorId: this.c.id, feed: this.c.feed, sha256 };
    const prior = await redis.hget(keys.importedFiles(this.c.feed), sha256);
    if (prior) {
      const duplicateOf = JSON.parse(prior) as NonNullable<DropFileResult['duplicateOf']>;
      await this.finish(
        name,
        path,
        'done',
        { ...base, status: 'duplicate_file', duplicateOf, finishedAt: new Date(this.deps.now()).toISOString() },
        summary,
      );
      return 'done';
    }

    let importId: string;
    try {
      importId = await imports.start(this.c.feed, path, name, { createdBy: `connector:${this.c.id}`, columnMap: this.c.columnMap });
    } catch (err) {
      if (err instanceof AppError && err.code === 'backlog_full') {
        summary.paused = err.message;
        return 'paused';
      }
      throw err;
    }
    summary.batchIds.push(importId);
    const progress = await this.waitForImport(importId);
    const everyRowRefused = progress.phase === 'done' && progress.rowsRead > 0 && progress.rejectedRows === progress.rowsRead;
    const failed = progress.phase !== 'done' || everyRowRefused;
    const finishedAt = progress.finishedAt ?? new Date(this.deps.now()).toISOString();
    const result: DropFileResult = {
      ...base,
      status: failed ? 'failed' : 'imported',
      importId,
      rowsRead: progress.rowsRead,
      recordsQueued: progress.recordsQueued,
      rejectedRows: progress.rejectedRows,
      counts: progress.counts,
      unknownColumns: progress.unknownColumns,
      rejected: progress.rejectedRows > 0 ? englishRows(await imports.rejected(importId, 0, MAX_REJECTED_KEPT)) : [],
      ...(progress.error && { error: progress.error }),
      ...(everyRowRefused && { error: `every row (${progress.rowsRead}) was refused; see "rejected"` }),
      finishedAt,
    };
    summary.received += progress.rowsRead;
    summary.rejected += progress.rejectedRows;
    if (!failed) {
      // Recorded before the move: after a crash between the two, the file is found again and moved as a duplicate.
      await redis.hset(keys.importedFiles(this.c.feed), sha256, JSON.stringify({ file: name, importId, importedAt: finishedAt }));
    } else {
      summary.problems.push(`${name}: ${result.error ?? 'import failed'}`);
    }
    await this.finish(name, path, failed ? 'failed' : 'done', result, summary);
    return 'done';
  }

  private async waitForImport(importId: string): Promise<ImportProgress> {
    for (;;) {
      const progress = await this.deps.imports.status(importId);
      if (!progress) throw new SourceError(`import ${importId} vanished before it finished`);
      if (progress.phase === 'done' || progress.phase === 'failed') return progress;
      await new Promise((r) => setTimeout(r, IMPORT_POLL_MS));
    }
  }

  /** Moves the file into done/ or failed/ (a free name if one of that name is there) and writes its result beside it. */
  private async finish(
    name: string,
    path: string,
    folder: 'done' | 'failed',
    result: DropFileResult,
    summary: ConnectorRunSummary,
  ): Promise<void> {
    const dir = join(this.c.path, folder);
    await mkdir(dir, { recursive: true });
    const target = await freeName(dir, name);
    await rename(path, target);
    await writeFile(`${target}.result.json.tmp`, `${JSON.stringify(result, null, 2)}\n`);
    await rename(`${target}.result.json.tmp`, `${target}.result.json`);
    summary.pages++;
    summary.files!.push({ file: name, status: result.status, movedTo: target });
    this.deps.log.info({ connector: this.c.id, file: name, status: result.status, movedTo: target }, 'drop-folder file handled');
  }
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** `dir/name`, or `dir/<stem>-2<ext>`, `-3`, … when taken. */
async function freeName(dir: string, name: string): Promise<string> {
  const ext = extname(name);
  const stem = name.slice(0, name.length - ext.length);
  for (let n = 1; ; n++) {
    const candidate = join(dir, n === 1 ? name : `${stem}-${n}${ext}`);
    const taken = await access(candidate).then(
      () => true,
      () => false,
    );
    if (!taken) return candidate;
  }
}
