import type { Redis } from 'ioredis';
import type { Config } from '../core/platform/config.ts';
import { loadConnectorsFile, type ConnectorConfig } from '../core/connectors/config.ts';
import type { Logger } from '../core/platform/logger.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import type { ImportService } from '../core/imports/import-service.ts';
import type { IngestService } from '../core/ingest/ingest-service.ts';
import type { Connector, ConnectorDeps, ConnectorRunSummary } from '../core/connectors/connector.ts';
import { FolderConnector } from '../core/connectors/folder-connector.ts';
import { ConnectorHealthStore } from '../core/connectors/health.ts';
import { HttpConnector } from '../core/connectors/http-connector.ts';
import { ConnectorScheduler } from './connector-scheduler.ts';

export type { ConnectorRunSummary } from '../core/connectors/connector.ts';

export interface RunningConnectors {
  /** Ids of the configured connectors. */
  ids: readonly string[];
  /** Resolves once every schedule is in place and the workers run (rejects if that failed). */
  ready: Promise<void>;
  /** Runs a connector at once, after any run in progress, and resolves with what it did; rejects when every attempt failed. */
  runNow(connectorId: string): Promise<ConnectorRunSummary>;
  /** Stops this process's connector workers (each finishes its current run); the schedules stay for the other processes. */
  close(): Promise<void>;
}

export interface StartConnectorsOptions {
  /** Validated connectors; default: the file of CONNECTORS_FILE (./connectors.json), read and validated now. */
  connectors?: readonly ConnectorConfig[];
  /** The clock (epoch ms); tests inject one. */
  now?: () => number;
}

/** One runner per kind (one file per kind). */
function makeRunner(c: ConnectorConfig, deps: ConnectorDeps): Connector {
  return c.kind === 'http' ? new HttpConnector(c, deps) : new FolderConnector(c, deps);
}

/**
 * Starts the pull connectors of this worker process: validates the connectors file at once (a bad entry
 * throws a ConfigError listing every problem), then in the background registers them, upserts one
 * BullMQ Job Scheduler per connector and starts a worker per connector queue. Records go through
 * `ingest` (normalize + enqueue) and files through `imports`, so exactly-once, conflicts and
 * rejections are those of HTTP ingest and uploads.
 */
export function startConnectors(
  config: Config,
  redisUrl: string,
  redis: Redis,
  log: Logger,
  ingest: IngestService,
  imports: ImportService,
  options: StartConnectorsOptions = {},
): RunningConnectors {
  const connectors = options.connectors ?? loadConnectorsFile();
  for (const c of connectors) {
    if (c.kind === 'http' && c.feed === 'online' && !Object.values(c.fieldMap).includes('asOf')) {
      // Snapshot rows without asOf: the last accepted wins, so an old row fetched again would undo a correction.
      log.warn({ connector: c.id }, 'online rows are snapshots: unless the source sends asOf, map its update time to asOf in fieldMap');
    }
  }
  const keys = redisKeys(config.REDIS_PREFIX);
  const now = options.now ?? Date.now;
  const deps: ConnectorDeps = { redis, keys, ingest, imports, tz: config.TZ_REPORT, log, now };
  const health = new ConnectorHealthStore(redis, keys, config.TZ_REPORT, now);
  const scheduler = new ConnectorScheduler(connectors, redisUrl, keys, health, log, (c) => makeRunner(c, deps), now);
  const ready = scheduler.start().then(
    () => {
      if (connectors.length > 0)
        log.info({ connectors: connectors.map((c) => `${c.id} (${c.kind} → ${c.feed})`) }, 'pull connectors scheduled');
    },
    (err: Error) => {
      log.error({ err: err.message }, 'pull connectors could not start');
      throw err;
    },
  );
  ready.catch(() => undefined); // reported above; runNow and close see it too
  return {
    ids: connectors.map((c) => c.id),
    ready,
    async runNow(connectorId) {
      await ready;
      return scheduler.runNow(connectorId);
    },
    async close() {
      await ready.catch(() => undefined);
      await scheduler.close();
    },
  };
}
