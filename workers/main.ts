/** `npm run start:worker`: one worker process against the Redis of REDIS_URL. */
import { parseCli } from '../core/platform/cli.ts';
import { runProcess } from '../core/platform/lifecycle.ts';
import { startWorker } from './worker-process.ts';

parseCli({
  command: 'npm run start:worker',
  usage: `usage: npm run start:worker

One worker process: applies the queued ingest batches and runs the pull connectors of CONNECTORS_FILE,
against the Redis of REDIS_URL (required). Configuration is read from the environment (README.md, "Configuration"; REDIS_URL, PORT, LOG_LEVEL …).`,
  options: {},
});

await runProcess('pulse-worker', async (config, log) => {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is required for start:worker (npm start embeds Redis for you)');
  const worker = startWorker(config, config.REDIS_URL, log);
  // Started by `npm start` (WORKER_PROCESSES): when that process ends, even by SIGKILL, this one stops in order too.
  process.once('disconnect', () => process.kill(process.pid, 'SIGTERM'));
  return () => worker.close();
});
