import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * A second signal this long after the first forces the exit. Sooner, it is the same signal delivered
 * twice: Ctrl-C in a terminal reaches every process of the foreground group, and `npm start` forwards
 * the SIGINT it got to its child as well.
 */
export const FORCE_EXIT_AFTER_MS = 1_000;

/**
 * Runs a process entry point: validates configuration (a bad value stops the process and names it),
 * starts what `start` returns, and on SIGINT/SIGTERM runs its shutdown once, in order. A second
 * signal (FORCE_EXIT_AFTER_MS or more after the first) forces the exit.
 */
export async function runProcess(name: string, start: (config: Config, log: Logger) => Promise<() => Promise<void>>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    }
    throw err;
  }
  const log = createLogger(config.LOG_LEVEL, name);
  let shutdown: () => Promise<void>;
  try {
    shutdown = await start(config, log);
  } catch (err) {
    log.fatal({ err: (err as Error).message }, 'could not start');
    process.stderr.write(`\n${(err as Error).message}\n`);
    process.exit(1);
  }
  let stoppingSince: number | null = null;
  const stop = async (signal: string) => {
    if (stoppingSince !== null) {
      if (Date.now() - stoppingSince < FORCE_EXIT_AFTER_MS) return;
      log.warn('second signal: exiting now');
      process.exit(1);
    }
    stoppingSince = Date.now();
    log.info({ signal }, 'shutting down');
    try {
      await shutdown();
      log.info('stopped cleanly');
      process.exit(0);
    } catch (err) {
      log.error({ err: (err as Error).message }, 'shutdown failed');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}
