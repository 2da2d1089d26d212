import { join } from 'node:path';
import type { Config } from '../core/platform/config.ts';
import type { Logger } from '../core/platform/logger.ts';
import { startWorker } from '../workers/worker-process.ts';
import { loadConnectorsFile } from '../core/connectors/config.ts';
import { startWorkerProcesses, workerProcessCount } from './worker-processes.ts';
import { DEFAULT_LOCAL_REDIS, redisAnswers, startEmbeddedRedis, type EmbeddedRedis } from '../core/platform/embedded-redis.ts';
import { startServer, type RunningServer } from '../server/server-process.ts';

// The demo prints the generated secrets the way `npm start` does, and scripts/ never reach into a shell.
export { printOnce } from '../server/banner.ts';

export interface AllInOne {
  server: RunningServer;
  redisUrl: string;
  /** Workers, then the server (queues, socket.io, connections), then the embedded Redis. */
  close(): Promise<void>;
}

/**
 * Server and workers in one process (or the workers in WORKER_PROCESSES processes of their own), and — when REDIS_URL is unset and nothing answers on
 * 127.0.0.1:6379 (REDIS_EMBEDDED_PORT) — a private redis-server child (`npm start`, `npm run demo`).
 */
export async function startAllInOne(config: Config, log: Logger): Promise<AllInOne> {
  let embedded: EmbeddedRedis | null = null;
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    const local = config.REDIS_EMBEDDED_PORT === 6379 ? DEFAULT_LOCAL_REDIS : `redis://127.0.0.1:${config.REDIS_EMBEDDED_PORT}`;
    if (await redisAnswers(local)) {
      redisUrl = local;
      log.info({ url: redisUrl }, `using the Redis answering on 127.0.0.1:${config.REDIS_EMBEDDED_PORT}`);
    } else {
      embedded = await startEmbeddedRedis({ dataDir: join(config.DATA_DIR, 'redis'), port: config.REDIS_EMBEDDED_PORT, log });
      redisUrl = embedded.url;
    }
  }
  try {
    const processes = workerProcessCount(config);
    if (processes > 0) loadConnectorsFile(); // a bad connectors file stops npm start here, as in one process
    const worker = processes > 0 ? startWorkerProcesses(processes, redisUrl, log) : startWorker(config, redisUrl, log);
    const server = await startServer(config, redisUrl, log);
    return {
      server,
      redisUrl,
      async close() {
        await worker.close();
        await server.close();
        await embedded?.stop();
      },
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
}
