/** `npm run start:worker`: one worker process against the Redis of REDIS_URL. */
import { runProcess } from '../core/platform/lifecycle.ts';
import { startWorker } from './worker-process.ts';

await runProcess('pulse-worker', async (config, log) => {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is required for start:worker (npm start embeds Redis for you)');
  const worker = startWorker(config, config.REDIS_URL, log);
  return () => worker.close();
});
