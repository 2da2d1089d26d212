import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../platform/config.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import type { ConnectorMeta } from '../../shared/api-types.ts';

/**
 * Pull connectors (issue 5): the workers fetch feeds from sources that will never call Pulse — an HTTP
 * export interface polled with a cursor, or a shared folder the source drops CSV/XLSX files into.
 * They are configured in one JSON file (`CONNECTORS_FILE`, default `./connectors.json`; no file = no
 * connectors), validated once at start with every bad entry listed in one error.
 */

/** Where the connectors file is looked for when `CONNECTORS_FILE` is unset. */
export const DEFAULT_CONNECTORS_FILE = './connectors.json';

const ID_RE = /^[a-z0-9][a-z0-9-]{0,47}$/;
/** A literal value, or `env:NAME` to read it from the environment at start (for secrets). */
const secretValue = z.string().min(1, 'must not be empty');
const seconds = (min: number, max: number) =>
  z.number().min(min, `must be at least ${min} seconds`).max(max, `must be at most ${max} seconds`);

const commonFields = {
  /** Lower-case letters, digits and `-`: names the BullMQ queue, scheduler and Redis keys. */
  id: z.string().regex(ID_RE, 'must be lower-case letters, digits and -, at most 48, starting with a letter or digit'),
  feed: z.enum(FEED_NAMES, { error: `must be one of ${FEED_NAMES.join(', ')}` }),
  /** Time between two scheduled runs. */
  intervalSeconds: seconds(0.1, 86_400).default(60),
  /** A source with no new record for longer than this is `silent` (default: 10 intervals, at least an hour). */
  expectedIntervalSeconds: seconds(0.1, 31 * 86_400).optional(),
  /** Consecutive failed attempts after which the connector is `failing` and its schedule slows down. */
  failAfter: z.int().min(1).max(100).default(3),
  /** Attempts of one run (retried with exponential backoff from `backoffSeconds`) while not failing. */
  retry: z
    .object({ attempts: z.int().min(1).max(20).default(3), backoffSeconds: seconds(0.01, 3_600).default(5) })
    .strict()
    .default({ attempts: 3, backoffSeconds: 5 }),
  /** While failing, the interval doubles per further failure up to this. */
  maxFailingIntervalSeconds: seconds(1, 86_400).default(3_600),
};

const httpSchema = z
  .object({
    ...commonFields,
    kind: z.literal('http'),
    url: z.string().regex(/^https?:\/\/\S+$/, 'must be an http:// or https:// URL'),
    method: z.literal('GET').default('GET'),
    /** Extra request headers; values may be `env:NAME`. */
    headers: z.record(z.string().min(1), secretValue).default({}),
    /** Fixed query parameters (e.g. a page size). */
    query: z.record(z.string().min(1), z.string()).default({}),
    auth: z
      .discriminatedUnion('in', [
        z
          .object({
            in: z.literal('header'),
            name: z.string().min(1).default('Authorization'),
            prefix: z.string().default(''),
            value: secretValue,
          })
          .strict(),
        z.object({ in: z.literal('query'), name: z.string().min(1), value: secretValue }).strict(),
      ])
      .optional(),
    cursor: z.discriminatedUnion('kind', [
      /** A time: Pulse sends the greatest `field` value it has queued (the source returns records at or after it). */
      z
        .object({ kind: z.literal('since'), param: z.string().min(1), field: z.string().min(1), initial: z.string().min(1).optional() })
        .strict(),
      /** A page token: Pulse sends the token the previous page named as next (`paging.nextPath`). */
      z.object({ kind: z.literal('page'), param: z.string().min(1), initial: z.string().min(1).optional() }).strict(),
    ]),
    paging: z
      .object({
        /** Dotted path of the records array in the response ('' = the response is the array). */
        itemsPath: z.string().default(''),
        /** Dotted path of the next page's token (page cursors). */
        nextPath: z.string().min(1).optional(),
      })
      .strict()
      .default({ itemsPath: '' }),
    timeoutSeconds: seconds(0.01, 600).default(30),
    /** Pages one run follows at most; the next run carries on from the cursor. */
    maxPagesPerRun: z.int().min(1).max(10_000).default(100),
    /** Source field (dotted path) → contract field; other fields pass with their own names. */
    fieldMap: z.record(z.string().min(1), z.string().min(1)).default({}),
  })
  .strict();

const folderSchema = z
  .object({
    ...commonFields,
    kind: z.literal('folder'),
    /** The drop folder; relative paths are relative to the connectors file. `done/` and `failed/` are made beside the files. */
    path: z.string().min(1),
    /** A file is imported once its size and mtime have not changed for this long (and over two looks at least). */
    stableForSeconds: seconds(0, 86_400).default(10),
    /** File column → contract field, for exports whose headers are neither the English nor the Chinese names. */
    columnMap: z.record(z.string().min(1), z.string().min(1)).optional(),
  })
  .strict();

const connectorSchema = z.discriminatedUnion('kind', [httpSchema, folderSchema], {
  error: 'kind must be "http" or "folder"',
});

type WithExpected<T> = Omit<T, 'expectedIntervalSeconds'> & { expectedIntervalSeconds: number };
/** A validated HTTP connector; `env:` secrets resolved. */
export type HttpConnectorConfig = WithExpected<z.output<typeof httpSchema>>;
/** A validated drop-folder connector; `path` absolute. */
export type FolderConnectorConfig = WithExpected<z.output<typeof folderSchema>>;
export type ConnectorConfig = HttpConnectorConfig | FolderConnectorConfig;
// What the health API shows of a connector is a wire type (shared/api-types.ts: the console reads it in the
// browser). `connectorMeta` below returns it, so a new `kind` here that the wire type lacks fails to compile.
export type {
  ConnectorKind,
  ConnectorMeta,
  ConnectorState,
  ConnectorHealthView,
  FeedHealthView,
  FeedHealthResponse,
} from '../../shared/api-types.ts';

export const connectorMeta = (c: ConnectorConfig): ConnectorMeta => ({
  id: c.id,
  kind: c.kind,
  feed: c.feed,
  intervalSeconds: c.intervalSeconds,
  expectedIntervalSeconds: c.expectedIntervalSeconds,
  failAfter: c.failAfter,
});

/** One BullMQ queue per connector, limited to one active job across every worker process; hash-tagged (one cluster slot per queue). */
export const connectorQueueName = (id: string) => `{connector-${id}}`;

const ENV_PREFIX = 'env:';

/**
 * Validates the parsed JSON of a connectors file: `{ "connectors": [ … ] }`. Every problem of every
 * entry is listed in one ConfigError (`CONNECTORS_FILE … connectors[1] "hall-drop" stableForSeconds: …`).
 * `baseDir` resolves relative folder paths; `env` resolves `env:NAME` secrets.
 */
export function parseConnectors(
  json: unknown,
  options: { source?: string; baseDir?: string; env?: NodeJS.ProcessEnv } = {},
): ConnectorConfig[] {
  const env = options.env ?? process.env;
  const source = options.source ?? 'CONNECTORS_FILE';
  const problems: string[] = [];
  const list =
    typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as { connectors?: unknown }).connectors : undefined;
  if (!Array.isArray(list)) throw new ConfigError([`${source} must be a JSON object { "connectors": [ … ] }`]);

  const out: ConnectorConfig[] = [];
  const seen = new Set<string>();
  list.forEach((entry, index) => {
    const raw = (typeof entry === 'object' && entry !== null ? entry : {}) as {
      id?: unknown;
      auth?: { value?: unknown };
      headers?: Record<string, unknown>;
    };
    const where = `${source} connectors[${index}]${typeof raw.id === 'string' ? ` "${raw.id}"` : ''}`;
    // Checked on the raw entry too, so an entry with schema problems still reports these.
    if (typeof raw.id === 'string') {
      if (seen.has(raw.id)) problems.push(`${where} id: "${raw.id}" is used by another connector`);
      seen.add(raw.id);
    }
    const secret = (path: string, value: unknown): string => {
      if (typeof value !== 'string' || !value.startsWith(ENV_PREFIX)) return typeof value === 'string' ? value : '';
      const name = value.slice(ENV_PREFIX.length);
      const resolved = env[name];
      if (!resolved) problems.push(`${where} ${path}: environment variable ${name} is not set`);
      return resolved ?? '';
    };
    const auth = typeof raw.auth === 'object' && raw.auth !== null ? secret('auth.value', raw.auth.value) : undefined;
    const headers = Object.fromEntries(
      Object.entries(typeof raw.headers === 'object' && raw.headers !== null ? raw.headers : {}).map(([k, v]) => [
        k,
        secret(`headers.${k}`, v),
      ]),
    );

    const parsed = connectorSchema.safeParse(entry);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const message = issue.message.replace(/^Invalid input: expected (\w+), received undefined$/, 'is required ($1)');
        problems.push(`${where} ${issue.path.join('.') || '(entry)'}: ${message}`);
      }
      return;
    }
    const c = parsed.data;
    const expectedIntervalSeconds = c.expectedIntervalSeconds ?? Math.max(3_600, c.intervalSeconds * 10);
    if (c.kind === 'http') {
      if (c.cursor.kind === 'page' && !c.paging.nextPath)
        problems.push(`${where} paging.nextPath: is required with a page cursor (where the response names the next page's token)`);
      if (c.cursor.kind === 'since' && c.paging.nextPath)
        problems.push(
          `${where} paging.nextPath: applies to page cursors only; a since cursor advances by the records' "${c.cursor.field}"`,
        );
      out.push({ ...c, expectedIntervalSeconds, headers, ...(c.auth && { auth: { ...c.auth, value: auth ?? '' } }) });
    } else {
      out.push({ ...c, expectedIntervalSeconds, path: resolve(options.baseDir ?? process.cwd(), c.path) });
    }
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return out;
}

/**
 * Reads and validates the connectors file (`CONNECTORS_FILE`, default `./connectors.json`).
 * No file: no connectors. Unreadable JSON or any bad entry: a ConfigError naming each problem.
 */
export function loadConnectorsFile(env: NodeJS.ProcessEnv = process.env): ConnectorConfig[] {
  const given = env.CONNECTORS_FILE?.trim();
  const path = resolve(given || DEFAULT_CONNECTORS_FILE);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' && !given) return [];
    throw new ConfigError([`CONNECTORS_FILE cannot be read (${path}): ${(err as Error).message}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    throw new ConfigError([`CONNECTORS_FILE is not valid JSON (${path}): ${(err as Error).message}`]);
  }
  return parseConnectors(json, { source: `CONNECTORS_FILE (${path})`, baseDir: dirname(path), env });
}
