/** `npm run start:server`: one HTTP/socket.io server against the Redis of REDIS_URL. */
import { runProcess } from '../core/platform/lifecycle.ts';
import { startServer } from './server-process.ts';
import { printOnce } from './banner.ts';

await runProcess('pulse-server', async (config, log) => {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is required for start:server (npm start embeds Redis for you)');
  const server = await startServer(config, config.REDIS_URL, log);
  printOnce(server);
  return () => server.close();
});
