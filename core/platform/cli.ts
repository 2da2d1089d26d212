/**
 * The Redis bootstrap every command-line tool shares (import, export, ledger, healthcheck, the
 * reliability checks): configuration from `env` as the server reads it → one command connection to
 * REDIS_URL (or the Redis `npm start` embeds, 127.0.0.1:6379) → keys → logger. Each tool keeps its own
 * messages and exit codes: a Redis that does not answer is a `CliRedisUnreachable` to report.
 * And the argument parsing every command shares (`parseCli`: `--help`, and one line for a bad argument).
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
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

type CliOptionsConfig = NonNullable<ParseArgsConfig['options']>;
type CliValues<O extends CliOptionsConfig> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: true }>
>['values'];

/** What `parseCli` needs to know of a command: its name in messages, its usage text, its options. */
export interface CliSpec<O extends CliOptionsConfig> {
  /** How the user runs it, e.g. `npm run import`; starts every error line (its `--help` hint adds npm's `--`). */
  command: string;
  /** The text `--help` prints (and nothing else does): the usage line(s) and what each option means. */
  usage: string;
  options: O;
  /** Positional arguments allowed (default none). */
  positionals?: { min: number; max: number };
}

/**
 * A command line's wrong argument: `parseCli` and each tool's own checks end with it — ONE line on
 * stderr naming the problem and pointing at `--help`, exit code 2, never a stack.
 */
export function cliUsageError(command: string, problem: string): never {
  const name = command.replace(/ --$/, '');
  process.stderr.write(`${name}: ${problem} (see ${name}${name.startsWith('npm ') ? ' --' : ''} --help)\n`);
  process.exit(2);
}

/**
 * Parses `argv` (default: the process's) with node:util parseArgs, strictly: `--help`/`-h` prints the
 * usage to stdout and exits 0; an unknown option, a missing value or a wrong number of positionals is
 * `cliUsageError`. The same helper for every CLI, so each one answers `--help` and a bad argument alike.
 */
export function parseCli<O extends CliOptionsConfig>(
  spec: CliSpec<O>,
  argv: string[] = process.argv.slice(2),
): { values: CliValues<O>; positionals: string[] } {
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...spec.options, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    // parseArgs explains at length how to pass a positional starting with '-': its first sentence says what is wrong.
    cliUsageError(spec.command, (err as Error).message.split(/\.\s/)[0]!.replace(/\.$/, ''));
  }
  if (parsed.values.help) {
    process.stdout.write(spec.usage.endsWith('\n') ? spec.usage : `${spec.usage}\n`);
    process.exit(0);
  }
  const { min, max } = spec.positionals ?? { min: 0, max: 0 };
  const n = parsed.positionals.length;
  if (n > max) cliUsageError(spec.command, `unexpected argument '${parsed.positionals[max]}'`);
  if (n < min) cliUsageError(spec.command, `${min - n === 1 ? 'an argument is' : `${min - n} arguments are`} missing`);
  return parsed as never;
}
