/** `npm start`: server and workers in one process, with an embedded Redis when none is configured. */
import { parseCli } from '../core/platform/cli.ts';
import { runProcess } from '../core/platform/lifecycle.ts';
import { startAllInOne } from './all-in-one.ts';
import { printOnce } from '../server/banner.ts';

parseCli({
  command: 'npm start',
  usage: `usage: npm start

Pulse in one process: the HTTP API, the console and wall, the live stream and the workers, with an
embedded redis-server under DATA_DIR when REDIS_URL is unset and nothing answers on 127.0.0.1:6379.
Configuration is read from the environment (README.md, "Configuration"; REDIS_URL, PORT, LOG_LEVEL …).
Ctrl-C (SIGINT) or SIGTERM stops it in order.`,
  options: {},
});

await runProcess('pulse', async (config, log) => {
  const pulse = await startAllInOne(config, log);
  printOnce(pulse.server);
  return () => pulse.close();
});
