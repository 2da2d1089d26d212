/** `npm start`: server and workers in one process, with an embedded Redis when none is configured. */
import { runProcess } from '../core/platform/lifecycle.ts';
import { startAllInOne } from './all-in-one.ts';
import { printOnce } from '../server/banner.ts';

await runProcess('pulse', async (config, log) => {
  const pulse = await startAllInOne(config, log);
  printOnce(pulse.server);
  return () => pulse.close();
});
