import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { connectRedis } from '../shared/redis.ts';
import { startIngestWorkers } from './ingest-worker.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

/** Starts the BullMQ workers that apply queued batches to the aggregates. */
export function startWorker(config: Config, redisUrl: string, log: Logger): RunningWorker {
  const redis = connectRedis(redisUrl, 'blocking', 'pulse-worker');
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  const workers = startIngestWorkers(config, redisUrl, redis, log);
  log.info('workers started');
  return {
    async close() {
      await workers.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
