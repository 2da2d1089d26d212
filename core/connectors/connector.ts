import type { Message } from '../../shared/messages/index.ts';
import type { Redis } from 'ioredis';
import type { Logger } from '../platform/logger.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { ImportService } from '../imports/import-service.ts';
import type { IngestService } from '../ingest/ingest-service.ts';

/**
 * What every connector kind provides (one file per kind: `http-connector.ts`, `folder-connector.ts`):
 * one run that takes what is new at the source into the ingest path and says what it did.
 */
export interface Connector {
  /** Resolves with what the run did; rejects when the source could not be read (the attempt failed). */
  run(): Promise<ConnectorRunSummary>;
}

/** What connectors share in a worker process. Records go through `ingest` (and files through `imports`), never around them. */
export interface ConnectorDeps {
  redis: Redis;
  keys: RedisKeys;
  ingest: IngestService;
  imports: ImportService;
  /** The report's time zone (TZ_REPORT): local times of cursors and the health's "today". */
  tz: string;
  log: Logger;
  /** The clock (epoch ms); injected by tests. */
  now: () => number;
}

/** What one run of a connector did (the BullMQ job's return value). */
export interface ConnectorRunSummary {
  /** Pages fetched (HTTP) or files handled (folder). */
  pages: number;
  /** New records taken from the source, valid or not (HTTP); rows read from imported files (folder). */
  received: number;
  /** Records refused by the feed's validation (HTTP) or rows refused (folder); counted in the ingest statistics. */
  rejected: number;
  /** Records already queued from the same cursor (a repeated last page), not queued again. */
  skipped: number;
  /** Batches queued (HTTP) or imports run (folder). */
  batchIds: string[];
  /** Set when the run stopped early without failing (the ingest backlog is full): the next run carries on. */
  paused?: string;
  /** Problems that did not fail the run (a bad file moved to failed/), the newest last. */
  problems: string[];
  /** The first rejected records of the run: index on its page and every reason. */
  rejections: { index: number; errors: Message[] }[];
  /** Files a folder run handled, and where each went. */
  files?: { file: string; status: 'imported' | 'duplicate_file' | 'failed'; movedTo: string }[];
}

export const emptySummary = (): ConnectorRunSummary => ({
  pages: 0,
  received: 0,
  rejected: 0,
  skipped: 0,
  batchIds: [],
  problems: [],
  rejections: [],
});

/** The source could not be read (HTTP error, timeout, not JSON, missing folder): the attempt fails and is retried. */
export class SourceError extends Error {
  override name = 'SourceError';
}
