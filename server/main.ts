/** `npm run start:server`: one HTTP/socket.io server against the Redis of REDIS_URL. */
import { parseCli } from '../core/platform/cli.ts';
import { runProcess } from '../core/platform/lifecycle.ts';
import { startServer } from './server-process.ts';
import { printOnce } from './banner.ts';

parseCli({
  command: 'npm run start:server',
  usage: `usage: npm run start:server

One HTTP + socket.io server (API, console, wall, live stream) against the Redis of REDIS_URL (required);
run workers beside it (npm run start:worker). Configuration is read from the environment (README.md, "Configuration"; REDIS_URL, PORT, LOG_LEVEL …).`,
  options: {},
});

await runProcess('pulse-server', async (config, log) => {
  if (!config.REDIS_URL) throw new Error('REDIS_URL is required for start:server (npm start embeds Redis for you)');
  const server = await startServer(config, config.REDIS_URL, log);
  printOnce(server);
  return () => server.close();
});
