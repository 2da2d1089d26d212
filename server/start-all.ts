/**
 * `npm start`: server and workers in one process, and — when REDIS_URL is unset and nothing answers on
 * 127.0.0.1:6379 — a private redis-server child. Shutdown order: workers, queues and socket.io (in
 * the server), then Redis.
 */
import { join } from 'node:path';
import { runProcess } from '../shared/lifecycle.ts';
import { startWorker } from '../workers/worker-process.ts';
import { printOnce } from './banner.ts';
import { DEFAULT_LOCAL_REDIS, redisAnswers, startEmbeddedRedis, type EmbeddedRedis } from './embedded-redis.ts';
import { startServer } from './server-process.ts';

await runProcess('pulse', async (config, log) => {
  let embedded: EmbeddedRedis | null = null;
  let redisUrl = config.REDIS_URL;
  if (!redisUrl) {
    if (await redisAnswers(DEFAULT_LOCAL_REDIS)) {
      redisUrl = DEFAULT_LOCAL_REDIS;
      log.info({ url: redisUrl }, 'using the Redis answering on 127.0.0.1:6379');
    } else {
      embedded = await startEmbeddedRedis({ dataDir: join(config.DATA_DIR, 'redis'), port: 6379, log });
      redisUrl = embedded.url;
    }
  }
  try {
    const worker = startWorker(config, redisUrl, log);
    const server = await startServer(config, redisUrl, log);
    printOnce(server);
    return async () => {
      await worker.close();
      await server.close();
      await embedded?.stop();
    };
  } catch (err) {
    await embedded?.stop();
    throw err;
  }
});
