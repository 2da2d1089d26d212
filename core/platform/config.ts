import { z } from 'zod';
import { DEFAULT_TIME_WINDOW } from '../../shared/feeds/feed.ts';
import { passwordProblem } from './password-policy.ts';
import { renderMessage } from '../../shared/messages/index.ts';
import { isLocalDay, isValidTimeZone } from '../../shared/time.ts';
import { isClusterUrl, parseClusterUrl } from './redis.ts';

/**
 * The one validated configuration of every Pulse process (API.md, "Configuration").
 * Everything that is not a secret has a default; a bad value stops the process with a message
 * naming each offending variable.
 */
/** A whole number from `min` to `max`, given as text in the environment. */
const intVar = (min: number, max: number, fallback: number) =>
  z
    .string()
    .default(String(fallback))
    .refine((v) => /^\d+$/.test(v) && Number(v) >= min && Number(v) <= max, `must be a whole number from ${min} to ${max}`)
    .transform(Number);
const optionalSecret = (min: number) => z.string().min(min, `must be at least ${min} characters`).optional();

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: intVar(0, 65535, 3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    /** One Redis (`redis://`, `rediss://`), or a Redis Cluster: `redis-cluster://[user:password@]host:port,host:port,…`. */
    REDIS_URL: z
      .string()
      .regex(/^(rediss?|redis-cluster):\/\/\S+$/, 'must be a redis://, rediss:// or redis-cluster:// URL')
      .superRefine((url, ctx) => {
        if (!isClusterUrl(url)) return;
        try {
          parseClusterUrl(url);
        } catch (err) {
          ctx.addIssue({ code: 'custom', message: `is not a redis-cluster://host:port,host:port,… URL: ${(err as Error).message}` });
        }
      })
      .optional(),
    /** With REDIS_URL unset, `npm start` uses the Redis on 127.0.0.1 at this port, or starts its own redis-server there. */
    REDIS_EMBEDDED_PORT: intVar(1, 65535, 6379),
    /** The bureau's name (长沙市芙蓉区行政审批服务局): seeds the setting at the first start; the console edits it after. */
    BUREAU_NAME: z.string().trim().max(64, 'at most 64 characters').optional(),
    /** Namespace of every Redis key and BullMQ queue; lets several instances (or tests) share one Redis. */
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,32}$/, 'letters, digits, _ or -, at most 32')
      .default('pulse'),
    TZ_REPORT: z.string().refine(isValidTimeZone, 'is not a known IANA time zone').default('Asia/Shanghai'),
    /** Seeds `admin` at the first start only; held to the console's password policy (username `admin`). */
    ADMIN_PASSWORD: z
      .string()
      .superRefine((password, ctx) => {
        const problem = passwordProblem(password, 'admin');
        if (problem) ctx.addIssue({ code: 'custom', message: `${renderMessage(problem, 'zh-CN')} / ${renderMessage(problem, 'en')}` });
      })
      .optional(),
    INGEST_TOKEN: optionalSecret(16),
    /** Bearer token for GET /metrics from beyond loopback (a Prometheus elsewhere); unset: loopback only. */
    METRICS_TOKEN: optionalSecret(16),
    /** Comma-separated, so a secret can be rotated while the old one is still accepted. */
    INGEST_HMAC_SECRET: z
      .string()
      .refine((v) => v.split(',').every((s) => s.trim().length >= 16), 'must be at least 16 characters for each comma-separated secret')
      .optional(),
    DATA_DIR: z.string().min(1).default('./data'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /**
     * Live updates to a screen are coalesced to at most one per this many milliseconds. A record waits up to this
     * long for the next push, so it sets the floor of event-to-wall latency; 200 rather than 250 took p99 at
     * 10,000 records/s from 369 to 298 ms (medians of 5 runs) at no measurable cost to the wall's renderer (bench/RESULTS.md).
     */
    LIVE_COALESCE_MS: intVar(10, 10_000, 200),
    /** Heartbeat interval of the live stream (API.md: at least every 10 s). */
    LIVE_HEARTBEAT_MS: intVar(100, 10_000, 5_000),
    /** Batches (requests of up to 10,000 records) waiting to be applied above which ingest answers 429. */
    INGEST_MAX_BACKLOG_JOBS: intVar(1, 1_000_000, 1_000),
    /** Record times before this local day's midnight (report time zone) are refused, per record. */
    INGEST_EARLIEST_DAY: z.string().refine(isLocalDay, 'must be a calendar day YYYY-MM-DD').default(DEFAULT_TIME_WINDOW.earliestDay),
    /** Record times more than this many hours after the server's clock are refused, per record. */
    INGEST_MAX_AHEAD_HOURS: intVar(0, 8_760, DEFAULT_TIME_WINDOW.maxAheadHours),
    /** Idle session lifetime in minutes. */
    SESSION_TTL_MINUTES: intVar(1, 525_600, 480),
    /** Absolute session lifetime in hours: a login ends this long after it began, however busy it was kept. */
    SESSION_MAX_HOURS: intVar(1, 8_760, 12),
    /**
     * Batches a worker applies at once per feed queue: while one batch's script runs in Redis the next is
     * planned in JavaScript. 4 applied a year 9 % faster than 2 on the 2-core reference machine; 6 no faster.
     */
    WORKER_CONCURRENCY: intVar(1, 64, 4),
    /**
     * `npm start` only: worker processes it starts beside its own (0, the default: the workers run in its process);
     * `auto`: one fewer than the cores. bench/worker-processes.ts measures it (bench/RESULTS.md, docs/DEPLOY.md).
     */
    WORKER_PROCESSES: z
      .string()
      .default('0')
      .refine((v) => v === 'auto' || (/^\d+$/.test(v) && Number(v) <= 64), 'must be auto or a whole number from 0 to 64')
      .transform((v) => (v === 'auto' ? ('auto' as const) : Number(v))),
    /**
     * A worker's lock on a batch, in ms: a worker killed mid-batch leaves its batch to be taken up again
     * by any worker after about twice this long (the ledger recognises what it had already applied).
     */
    WORKER_LOCK_MS: intVar(1_000, 600_000, 30_000),
    /** Login attempts refused for this long after too many failures (per username and address, per address). */
    LOGIN_FAILURES_PER_USER_IP: intVar(1, 1_000, 10),
    LOGIN_FAILURES_PER_IP: intVar(1, 100_000, 100),
    /** Window of the two login failure counts, and how long a limited login waits, in seconds. */
    LOGIN_BLOCK_SECONDS: intVar(1, 86_400, 900),
    /** Ingest requests a minute per credential and address (a batch is up to 10,000 records). */
    INGEST_REQUESTS_PER_MINUTE: intVar(1, 1_000_000, 1_200),
    /**
     * Which proxies' X-Forwarded-For to believe for the client address (rate limits, audit): express's
     * `trust proxy` — `loopback` (default), a comma-separated list of addresses/subnets (the compose
     * file's nginx address: exactly the proxy in front, never a whole network), or `false`.
     */
    TRUST_PROXY: z.string().trim().min(1).default('loopback'),
    /**
     * Browser origins allowed besides the page's own, comma-separated (`https://wall.example.gov.cn`),
     * for the socket.io handshake and state-changing requests. Requests without an Origin (servers) pass.
     */
    ALLOWED_ORIGINS: z
      .string()
      .default('')
      .refine(
        (v) => v.split(',').every((o) => o.trim() === '' || /^https?:\/\/[^/\s]+$/.test(o.trim())),
        'must be comma-separated origins like https://host:port',
      )
      .transform((v) =>
        v
          .split(',')
          .map((o) => o.trim().toLowerCase())
          .filter(Boolean),
      ),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.ADMIN_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['ADMIN_PASSWORD'], message: 'is required when NODE_ENV=production' });
    }
  });

export type Config = Readonly<Omit<z.output<typeof envSchema>, 'INGEST_HMAC_SECRET'> & { INGEST_HMAC_SECRETS: readonly string[] }>;

export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.problems = problems;
    this.name = 'ConfigError';
  }
}

/** Validates `env` (default: process.env); throws ConfigError listing every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blankToUndefined = Object.fromEntries(Object.entries(env).map(([k, v]) => [k, v === '' ? undefined : v]));
  const parsed = envSchema.safeParse(blankToUndefined);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = String(i.path[0] ?? 'environment');
        const value = env[name];
        const shown = value === undefined || /PASSWORD|TOKEN|SECRET/.test(name) ? '' : ` (got "${value}")`;
        return `${name} ${i.message}${shown}`;
      }),
    );
  }
  const { INGEST_HMAC_SECRET, ...rest } = parsed.data;
  return Object.freeze({
    ...rest,
    INGEST_HMAC_SECRETS: (INGEST_HMAC_SECRET ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  });
}
