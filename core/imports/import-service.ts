import { randomUUID } from 'node:crypto';
import { rm, stat } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg, renderMessage, type Message } from '../../shared/messages/index.ts';
import type { FeedName } from '../../shared/feeds/feed.ts';
import type { Logger } from '../platform/logger.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import { publish } from '../platform/channels.ts';
import type { CoreContext } from '../context.ts';
import type { ImportCounts, ImportProgress } from '../../shared/socket-events.ts';
import { hasUndecodableText, readRows } from './file-rows.ts';
import { createRowMapper } from './row-mapper.ts';
import type { IngestService } from '../ingest/ingest-service.ts';

/** Records per queued batch. */
const BATCH = 5_000;
/** Rejected rows kept for the report and download; more are counted, not kept. */
export const MAX_REJECTED_KEPT = 100_000;
/** Largest file an import reads (a 1,000,000-row export fits); uploads over it are refused with 413. */
export const MAX_IMPORT_BYTES = 200 * 2 ** 20;
/** Imports and their rejected rows are kept this long. */
const KEEP_SECONDS = 7 * 86_400;
const PROGRESS_EVERY_MS = 250;

/** A refused row as kept: its reasons as messages, rendered in the reader's language when read. */
export interface RejectedRow {
  row: number;
  errors: Message[];
}

const zeroCounts = (): ImportCounts => ({ accepted: 0, duplicate: 0, conflict: 0, replaced: 0, superseded: 0 });

/**
 * File imports (CSV/XLSX): rows are read as a stream, mapped to the feed's fields, validated by the
 * feed module and queued in batches through the same path as HTTP ingest; the import then waits for
 * the workers to apply its batches and reports accepted / duplicate / conflict / rejected. Progress
 * is kept in Redis and published on a channel every server relays to the sockets watching it.
 */
export class ImportService {
  private readonly running = new Set<Promise<void>>();
  private readonly redis: Redis;
  private readonly keys: RedisKeys;
  private readonly log: Logger;

  private readonly ingest: IngestService;
  private readonly options: { maxBytes?: number; applyTimeoutMs?: number };

  constructor(ctx: CoreContext, ingest: IngestService, options: { maxBytes?: number; applyTimeoutMs?: number } = {}) {
    this.ingest = ingest;
    this.options = options;
    ({ redis: this.redis, keys: this.keys, log: this.log } = ctx);
  }

  /** Starts importing `filePath` in the background; returns its id at once. */
  async start(
    feed: FeedName,
    filePath: string,
    fileName: string,
    options: { columnMap?: Record<string, string>; createdBy: string; removeFileAfter?: boolean },
  ): Promise<string> {
    await this.ingest.assertAccepting(feed);
    const importId = randomUUID();
    const progress: ImportProgress = {
      importId,
      feed,
      fileName,
      phase: 'reading',
      bytesRead: 0,
      totalBytes: (await stat(filePath)).size,
      rowsRead: 0,
      recordsQueued: 0,
      rejectedRows: 0,
      batchesApplied: 0,
      batchesQueued: 0,
      counts: zeroCounts(),
      unknownColumns: [],
      startedAt: new Date().toISOString(),
    };
    await this.save(progress, options.createdBy);
    const run = this.run(progress, filePath, options.columnMap)
      .catch(async (err: unknown) => {
        progress.phase = 'failed';
        progress.errorReason = err instanceof AppError ? err.reason : msg('import.failed', { detail: (err as Error).message });
        progress.error = renderMessage(progress.errorReason, 'en');
        progress.finishedAt = new Date().toISOString();
        if (!(err instanceof AppError)) this.log.error({ err: (err as Error).message, importId }, 'import failed');
        await this.save(progress).catch(() => undefined);
      })
      .finally(async () => {
        this.running.delete(run);
        if (options.removeFileAfter) await rm(filePath, { force: true });
      });
    this.running.add(run);
    return importId;
  }

  /** The import's progress or result; null when unknown or expired. */
  async status(importId: string): Promise<ImportProgress | null> {
    const json = await this.redis.hget(this.keys.importStatus(importId), 'progress');
    return json ? (JSON.parse(json) as ImportProgress) : null;
  }

  /** Rejected rows in file order, `limit` from `offset`. */
  async rejected(importId: string, offset = 0, limit = 100): Promise<RejectedRow[]> {
    const rows = await this.redis.lrange(this.keys.importRejected(importId), offset, offset + limit - 1);
    return rows.map((r) => JSON.parse(r) as RejectedRow);
  }

  /** Waits for every import this process is running (shutdown). */
  async drain(): Promise<void> {
    await Promise.allSettled([...this.running]);
  }

  private async save(progress: ImportProgress, createdBy?: string): Promise<void> {
    const key = this.keys.importStatus(progress.importId);
    const write = this.redis
      .multi()
      .hset(key, { progress: JSON.stringify(progress), ...(createdBy && { createdBy }) })
      .expire(key, KEEP_SECONDS);
    await publish(write, this.keys, 'import', progress).exec();
  }

  private async run(progress: ImportProgress, filePath: string, columnMap?: Record<string, string>): Promise<void> {
    const feed = progress.feed as FeedName;
    const batchIds: string[] = [];
    let buffer: { id: string }[] = [];
    let received = 0;
    let rejectedInBuffer = 0;
    let lastSaved = 0;
    const rejectedKey = this.keys.importRejected(progress.importId);
    let pendingRejected: string[] = [];

    const flushRejected = async () => {
      if (pendingRejected.length === 0) return;
      const kept = Math.max(0, MAX_REJECTED_KEPT - (progress.rejectedRows - pendingRejected.length));
      const toKeep = pendingRejected.slice(0, kept);
      pendingRejected = [];
      if (toKeep.length > 0)
        await this.redis
          .multi()
          .rpush(rejectedKey, ...toKeep)
          .expire(rejectedKey, KEEP_SECONDS)
          .exec();
    };
    const flushBatch = async () => {
      for (;;) {
        try {
          await this.ingest.assertAccepting(feed);
          break;
        } catch (err) {
          // A full backlog or a Redis outage pauses the import; it does not fail it.
          if (err instanceof AppError && (err.code === 'backlog_full' || err.code === 'redis_unavailable')) {
            await new Promise((r) => setTimeout(r, (err.retryAfterSeconds ?? 1) * 1000));
            continue;
          }
          throw err;
        }
      }
      const batchId = await this.ingest.enqueue(feed, buffer, received, rejectedInBuffer);
      if (batchId) batchIds.push(batchId);
      progress.recordsQueued += buffer.length;
      progress.batchesQueued = batchIds.length;
      buffer = [];
      received = 0;
      rejectedInBuffer = 0;
      await flushRejected();
    };

    let mapper: ReturnType<typeof createRowMapper> | null = null;
    for await (const { rowNumber, cells } of readRows(filePath, {
      feed,
      columnMap,
      maxBytes: this.options.maxBytes ?? MAX_IMPORT_BYTES,
      onBytes: (n) => (progress.bytesRead = n),
    })) {
      if (!mapper) {
        mapper = createRowMapper(feed, Object.keys(cells), { columnMap });
        progress.unknownColumns = mapper.unknownColumns;
      }
      progress.rowsRead++;
      const mapped = mapper.mapRow(cells);
      const errors: Message[] = 'errors' in mapped ? [...mapped.errors] : [];
      const undecodable = hasUndecodableText(cells);
      if (undecodable) errors.push(undecodable);
      const valid: { id: string }[] = [];
      if ('records' in mapped) {
        for (const raw of mapped.records) {
          const result = this.ingest.normalize(feed, raw);
          if (result.ok) valid.push(result.record);
          else errors.push(...result.errors);
        }
      }
      received += 'records' in mapped ? Math.max(1, mapped.records.length) : 1;
      if (errors.length > 0) {
        // A row is refused whole, so that fixing and re-importing it gives the complete ticket.
        progress.rejectedRows++;
        rejectedInBuffer += 'records' in mapped ? Math.max(1, mapped.records.length) : 1;
        pendingRejected.push(JSON.stringify({ row: rowNumber, errors } satisfies RejectedRow));
      } else buffer.push(...valid);
      if (buffer.length >= BATCH) await flushBatch();
      if (Date.now() - lastSaved > PROGRESS_EVERY_MS) {
        lastSaved = Date.now();
        await this.save(progress);
      }
    }
    if (buffer.length > 0 || received > 0) await flushBatch();
    await flushRejected();
    progress.bytesRead = progress.totalBytes;
    progress.phase = 'applying';
    await this.save(progress);
    await this.waitForBatches(progress, batchIds);
    progress.phase = 'done';
    progress.finishedAt = new Date().toISOString();
    await this.save(progress);
  }

  private async waitForBatches(progress: ImportProgress, batchIds: string[]): Promise<void> {
    const feed = progress.feed as FeedName;
    const deadline = Date.now() + (this.options.applyTimeoutMs ?? 3_600_000);
    let remaining = [...batchIds];
    while (remaining.length > 0) {
      const outcomes = await Promise.all(remaining.map((id) => this.ingest.batchOutcome(feed, id)));
      const still: string[] = [];
      outcomes.forEach((outcome, i) => {
        if ('counts' in outcome) {
          progress.batchesApplied++;
          progress.counts.accepted += outcome.counts.new ?? 0;
          progress.counts.duplicate += outcome.counts.duplicate ?? 0;
          progress.counts.conflict += outcome.counts.conflict ?? 0;
          progress.counts.replaced += outcome.counts.replaced ?? 0;
          progress.counts.superseded += outcome.counts.superseded ?? 0;
        } else if (outcome.state === 'failed') {
          throw new AppError('internal', msg('import.batch_failed', { detail: outcome.failedReason ?? '?' }));
        } else still.push(remaining[i]!);
      });
      if (still.length !== remaining.length) await this.save(progress);
      remaining = still;
      if (remaining.length === 0) break;
      if (Date.now() > deadline) throw new AppError('internal', msg('import.apply_timeout', { count: remaining.length }));
      await new Promise((r) => setTimeout(r, 200));
    }
  }
}
