import { ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger, type Logger } from './logger.ts';

/**
 * Runs a process entry point: validates configuration (a bad value stops the process and names it),
 * starts what `start` returns, and on SIGINT/SIGTERM runs its shutdown once, in order. A second
 * signal forces the exit.
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
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting now');
      process.exit(1);
    }
    stopping = true;
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
