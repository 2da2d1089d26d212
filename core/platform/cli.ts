/**
 * The Redis bootstrap every command-line tool shares (import, export, ledger, healthcheck, the
 * reliability checks): configuration from `env` as the server reads it → one command connection to
 * REDIS_URL (or the Redis `npm start` embeds, 127.0.0.1:6379) → keys → logger. Each tool keeps its own
 * messages and exit codes: a Redis that does not answer is a `CliRedisUnreachable` to report.
 */
import type { Redis } from 'ioredis';
import { loadConfig, type Config } from './config.ts';
import { DEFAULT_LOCAL_REDIS } from './embedded-redis.ts';
import { createLogger, type Logger } from './logger.ts';
import { redisKeys, type RedisKeys } from './redis-keys.ts';
import { connectRedis, waitForReady } from './redis.ts';

export interface CliContext {
  config: Config;
  /** The Redis URL connected to. */
  url: string;
  redis: Redis;
  keys: RedisKeys;
  log: Logger;
  /** Drops the connection (nothing is pending in a tool that has finished). */
  close(): void;
}

export interface CliOptions {
  /** Connection and logger name, e.g. `pulse-import`. */
  name: string;
  /** How long Redis may take to answer before `CliRedisUnreachable`. */
  readyTimeoutMs: number;
  /** Logger level (default `warn`: a tool prints its own progress). */
  logLevel?: string;
  /** Swallow the connection's `error` events while it retries (default true; false lets ioredis report them). */
  quietErrors?: boolean;
}

/** Redis did not answer within the timeout; `message` is the connection's own, `url` the one tried. */
export class CliRedisUnreachable extends Error {
  readonly url: string;

  constructor(url: string, cause: Error) {
    super(cause.message, { cause });
    this.url = url;
    this.name = 'CliRedisUnreachable';
  }
}

/** Opens the context of a command-line tool; throws ConfigError (bad `env`) or CliRedisUnreachable. */
export async function openCliContext(env: NodeJS.ProcessEnv, options: CliOptions): Promise<CliContext> {
  const config = loadConfig(env);
  const url = config.REDIS_URL ?? DEFAULT_LOCAL_REDIS;
  const keys = redisKeys(config.REDIS_PREFIX);
  const redis = connectRedis(url, 'command', options.name);
  if (options.quietErrors ?? true) redis.on('error', () => undefined);
  try {
    await waitForReady(redis, options.readyTimeoutMs);
  } catch (err) {
    redis.disconnect();
    throw new CliRedisUnreachable(url, err as Error);
  }
  let log: Logger | undefined;
  return {
    config,
    url,
    redis,
    keys,
    // Made on first use: on a terminal a logger starts a pretty-printing thread, which a quick tool need not.
    get log() {
      return (log ??= createLogger(options.logLevel ?? 'warn', options.name));
    },
    close: () => redis.disconnect(),
  };
}

/**
 * `openCliContext` for a tool that needs a running Pulse: a Redis that does not answer is said on
 * stderr and the process exits 1 (a bad configuration still throws).
 */
export async function openCliContextOrExit(env: NodeJS.ProcessEnv, options: CliOptions): Promise<CliContext> {
  try {
    return await openCliContext(env, options);
  } catch (err) {
    if (!(err instanceof CliRedisUnreachable)) throw err;
    process.stderr.write(`Redis does not answer at ${err.url}: start Pulse first (npm start) or set REDIS_URL.\n`);
    process.exit(1);
  }
}
