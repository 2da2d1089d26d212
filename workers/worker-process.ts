import { hostname } from 'node:os';
import type { Config } from '../shared/config.ts';
import type { Logger } from '../shared/logger.ts';
import { connectRedis } from '../shared/redis.ts';
import { redisKeys } from '../shared/redis-keys.ts';
import { startIngestWorkers } from './ingest-worker.ts';

export interface RunningWorker {
  close(): Promise<void>;
}

/** Starts the BullMQ workers that apply queued batches to the aggregates. */
export function startWorker(config: Config, redisUrl: string, log: Logger): RunningWorker {
  const redis = connectRedis(redisUrl, 'blocking', 'pulse-worker');
  redis.on('error', (err) => log.debug({ err: err.message }, 'redis connection error'));
  const workers = startIngestWorkers(config, redisUrl, redis, log);
  const heartbeatKey = redisKeys(config.REDIS_PREFIX).workerHeartbeat(hostname(), String(process.pid));
  const beat = () => void redis.set(heartbeatKey, Date.now(), 'EX', 30).catch(() => undefined);
  beat();
  const heartbeat = setInterval(beat, 10_000);
  log.info('workers started');
  return {
    async close() {
      clearInterval(heartbeat);
      await workers.close();
      await redis.del(heartbeatKey).catch(() => undefined);
      await redis.quit().catch(() => undefined);
    },
  };
}
