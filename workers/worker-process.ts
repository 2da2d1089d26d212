import { hostname } from 'node:os';
import type { Config } from '../core/platform/config.ts';
import type { Logger } from '../core/platform/logger.ts';
import { connectRedis } from '../core/platform/redis.ts';
import { redisKeys } from '../core/platform/redis-keys.ts';
import { createCoreContext } from '../core/context.ts';
import { loadConnectorsFile } from '../core/connectors/config.ts';
import { ImportService } from '../core/imports/import-service.ts';
import { IngestService } from '../core/ingest/ingest-service.ts';
import { getOrCreateSecret } from '../core/services/secrets.ts';
import { startConnectors } from './connectors.ts';
import { startIngestWorkers } from './ingest-worker.ts';
import { startHotspotWorker } from './hotspot-worker.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

/**
 * Starts the BullMQ workers that apply queued batches to the aggregates, and the pull connectors of
 * CONNECTORS_FILE (a bad connectors file stops the process before anything starts).
 */
export function startWorker(config: Config, redisUrl: string, log: Logger): RunningWorker {
  const connectorConfigs = loadConnectorsFile();
  const redis = connectRedis(redisUrl, 'blocking', 'pulse-worker');
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  const ctx = createCoreContext({ redis, keys: redisKeys(config.REDIS_PREFIX), log, tz: config.TZ_REPORT });
  const workers = startIngestWorkers(config, redisUrl, ctx);
  const hotspots = startHotspotWorker(config, redisUrl, ctx);
  // Pulled records take the path of every other record: validation, PII hashing, the ingest queues.
  const connectors = (async () => {
    if (connectorConfigs.length === 0) return null;
    const { keys } = ctx;
    const piiKey = await getOrCreateSecret(redis, keys, 'pii-key');
    const ingest = new IngestService(ctx, redisUrl, config, piiKey.value);
    const imports = new ImportService(ctx, ingest);
    const running = startConnectors(config, redisUrl, redis, log, ingest, imports, { connectors: connectorConfigs });
    return {
      async close() {
        await running.close();
        await imports.drain();
        await ingest.close();
      },
    };
  })();
  connectors.catch((err: Error) => log.error({ err: err.message }, 'pull connectors could not start'));
  const heartbeatKey = redisKeys(config.REDIS_PREFIX).workerHeartbeat(hostname(), String(process.pid));
  const beat = () => void redis.set(heartbeatKey, Date.now(), 'EX', 30).catch(() => undefined);
  beat();
  const heartbeat = setInterval(beat, 10_000);
  log.info('workers started');
  return {
    async close() {
      clearInterval(heartbeat);
      await (await connectors.catch(() => null))?.close();
      await workers.close();
      await hotspots.close();
      await redis.del(heartbeatKey).catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
