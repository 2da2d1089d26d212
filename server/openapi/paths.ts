import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { loginBody } from '../routes/auth.ts';
import { adminPaths } from './admin-paths.ts';
import { closedYearPaths } from './closed-year-paths.ts';
import { evidencePaths } from './evidence-paths.ts';
import { projectionPaths } from './projection-paths.ts';
import { hotspotPaths } from './hotspot-paths.ts';
import {
  anyObject,
  DAY,
  feedPath,
  formatSchema,
  from,
  fromZod,
  int,
  object,
  operation as op,
  pathParam,
  queryParam,
  str,
  to,
  list,
  ref,
  type JsonSchema,
} from './operations.ts';

/**
 * Every HTTP call of the server (API.md v1 and v2 as built), by path. tests/contract/openapi.test.ts
 * walks the express router: a route added without its entry here fails that test.
 */

const ingestBody: JsonSchema = {
  oneOf: FEED_NAMES.map((feed) => ({
    title: feed,
    type: 'object',
    properties: { events: { type: 'array', maxItems: 10_000, items: ref(`FeedRecord.${feed}`) } },
    required: ['events'],
  })),
};

export function apiPaths(): Record<string, Record<string, JsonSchema>> {
  return {
    '/api/health': {
      get: op({
        tag: 'system',
        summary: 'Liveness and Redis reachability',
        who: 'anyone',
        ok: { description: '`status` ok or degraded', json: anyObject('{ status, redis: { reachable, … }, uptimeSeconds }') },
      }),
    },
    '/metrics': {
      get: op({
        tag: 'system',
        summary: 'Prometheus metrics (text exposition format)',
        description:
          'Per feed received / accepted / duplicate / rejected, queue depth, apply latency, HTTP requests by route and status, live sockets. Loopback callers need no token; others send `Authorization: Bearer <METRICS_TOKEN>`.',
        who: 'anyone',
        ok: { description: 'the metrics', content: 'text/plain; version=0.0.4' },
        errors: [401, 403],
      }),
    },
    '/api/openapi.json': {
      get: op({
        tag: 'system',
        summary: 'This description (OpenAPI 3.1)',
        who: 'anyone',
        ok: { description: 'the document', json: anyObject('OpenAPI 3.1') },
      }),
    },
    '/api/auth/login': {
      post: op({
        tag: 'auth',
        summary: 'Sign in',
        description: 'Too many attempts from one address → 429 with Retry-After, the password unchecked.',
        who: 'anyone',
        body: { json: fromZod(loginBody) },
        ok: {
          description: 'a bearer token for the other calls',
          json: object({
            token: str('bearer token'),
            role: str('admin / manager'),
            username: str('user'),
            expiresInSeconds: int('lifetime'),
          }),
        },
        errors: [401, 429],
      }),
    },
    '/api/auth/logout': {
      post: op({
        tag: 'auth',
        summary: 'Sign out: the token is refused at once and its sockets dropped',
        who: 'manager',
        ok: { status: 204, description: 'signed out' },
      }),
    },
    '/api/ingest/{feed}': {
      post: op({
        tag: 'ingest',
        summary: 'Send records of one feed',
        description:
          'JSON `{ "events": [...] }` or NDJSON (`application/x-ndjson`, one record a line); at most 10,000 records and 10 MB. ' +
          "Each record is validated alone against its feed's schema (components `FeedRecord.<feed>`); bad ones are rejected with their index and every reason, the others queued durably before the 202. " +
          'Signed requests: `X-Pulse-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">` and `X-Pulse-Timestamp` (Unix seconds, within 300 s).',
        who: 'ingest',
        params: [feedPath],
        body: { json: ingestBody, ndjson: true },
        ok: {
          status: 202,
          description: 'the accepted records are queued',
          json: object({
            accepted: int('records queued'),
            rejected: {
              type: 'array',
              items: object({ index: int('position in the batch'), errors: { type: 'array', items: { type: 'string' } } }),
            },
            batchId: { type: ['string', 'null'] },
          }),
        },
        errors: [404, 413, 429],
      }),
    },
    '/api/ingest/status': {
      get: op({
        tag: 'ingest',
        summary: 'Queue counts per feed; `idle` when everything accepted is in the figures',
        who: 'manager',
        ok: { description: 'status', json: anyObject('{ idle, feeds: { … } }') },
      }),
    },
    '/api/feeds/health': {
      get: op({
        tag: 'ingest',
        summary: "Per feed: last record, today's statistics, connector states",
        who: 'manager',
        ok: { description: 'feed health', json: anyObject('per feed and per connector') },
      }),
    },
    '/api/kpis': {
      get: op({
        tag: 'kpis',
        summary: 'KPI figures for a period',
        who: 'readers',
        params: [
          from,
          to,
          queryParam('groupBy', 'a breakdown dimension (KPIS.md)'),
          queryParam('where', '`<dimension>:<value>`, repeatable, in drill-path order', { type: 'array', items: { type: 'string' } }),
        ],
        ok: {
          description: '`{ period, kpis: { "<id>": { value, numerator?, denominator?, target?, status? } } }`',
          json: anyObject('KPIS.md ids'),
        },
      }),
    },
    '/api/kpis/series': {
      get: op({
        tag: 'kpis',
        summary: 'KPI series for charts',
        who: 'readers',
        params: [
          queryParam('ids', 'comma-separated KPI ids', { type: 'string' }, true),
          from,
          to,
          queryParam('interval', 'hour, day, week or month (default day)', { type: 'string', enum: ['hour', 'day', 'week', 'month'] }),
        ],
        ok: { description: 'series', json: anyObject('one series per id') },
      }),
    },
    '/api/imports': {
      post: op({
        tag: 'imports',
        summary: 'Import a CSV/XLSX file of one feed',
        description: 'Progress is pushed on the live stream; poll `GET /api/imports/{id}`. Audited.',
        who: 'manager',
        body: { multipart: { feed: `one of ${FEED_NAMES.join(', ')}`, columnMap: 'optional JSON { "<file column>": "<field>" }' } },
        ok: { status: 202, description: 'started', json: object({ importId: str('the import') }) },
        errors: [413, 415],
      }),
    },
    '/api/imports/preview': {
      post: op({
        tag: 'imports',
        summary: "A file's header, known and unknown columns, and its first rows",
        who: 'manager',
        body: { multipart: { feed: `one of ${FEED_NAMES.join(', ')}` } },
        ok: { description: 'preview', json: anyObject('{ feed, headers, known, unknown, fields, sample }') },
        errors: [413, 415],
      }),
    },
    '/api/imports/{id}': {
      get: op({
        tag: 'imports',
        summary: "An import's status, counts and rejected rows",
        who: 'manager',
        params: [
          pathParam('id', 'the import'),
          queryParam('offset', 'rejected rows to skip', { type: 'integer' }),
          queryParam('limit', 'rejected rows, 1–1000', { type: 'integer' }),
        ],
        ok: { description: 'progress and `rejected: [{ row, errors }]`', json: anyObject('import progress') },
        errors: [404],
      }),
    },
    '/api/imports/{id}/rejected.csv': {
      get: op({
        tag: 'imports',
        summary: "An import's rejected rows as CSV",
        who: 'manager',
        params: [pathParam('id', 'the import')],
        ok: { description: 'CSV', content: 'text/csv' },
        errors: [404],
      }),
    },
    '/api/export/annual': {
      get: op({
        tag: 'exports',
        summary: 'The year-end export, one file (REPORT.md)',
        who: 'manager',
        params: [
          queryParam('year', 'YYYY (or from/to)', { type: 'integer' }),
          queryParam('from', 'first day', DAY),
          queryParam('to', 'last day', DAY),
          queryParam('format', 'default docx', formatSchema),
        ],
        ok: { description: 'the file', content: 'application/octet-stream' },
      }),
    },
    '/api/exports': {
      post: op({
        tag: 'exports',
        summary: 'Start an export in the background',
        who: 'manager',
        body: {
          json: {
            type: 'object',
            properties: { year: { type: 'integer' }, from: DAY, to: DAY, formats: { type: 'array', items: formatSchema } },
          },
        },
        ok: { status: 202, description: 'started', json: object({ exportId: str('the export') }) },
      }),
    },
    '/api/exports/{id}': {
      get: op({
        tag: 'exports',
        summary: "An export's progress",
        who: 'manager',
        params: [pathParam('id', 'the export')],
        ok: { description: 'status', json: anyObject('phase, files') },
        errors: [404],
      }),
    },
    '/api/exports/{id}/files/{format}': {
      get: op({
        tag: 'exports',
        summary: 'One file of a finished export',
        who: 'manager',
        params: [pathParam('id', 'the export'), pathParam('format', 'the format', formatSchema)],
        ok: { description: 'the file', content: 'application/octet-stream' },
        errors: [404],
      }),
    },
    '/api/admin/export-templates': {
      get: op({
        tag: 'exports',
        summary: 'The export templates',
        who: 'manager',
        ok: { description: 'templates', json: list(anyObject('{ id, content, … }')) },
      }),
    },
    '/api/admin/export-templates/{id}': {
      put: op({
        tag: 'exports',
        summary: 'Replace a template',
        who: 'admin',
        params: [pathParam('id', 'the template')],
        body: { json: object({ content: str('the template text') }) },
        ok: { description: 'as saved', json: anyObject('{ id, content }') },
      }),
      delete: op({
        tag: 'exports',
        summary: "Restore a template's shipped default",
        who: 'admin',
        params: [pathParam('id', 'the template')],
        ok: { status: 204, description: 'restored' },
      }),
    },
    ...adminPaths(),
    ...closedYearPaths(),
    ...evidencePaths(),
    ...projectionPaths(),
    ...hotspotPaths(),
  };
}

/** Tags in the order the console shows them, Chinese first. */
export const TAGS = [
  { name: 'ingest', description: '数据接入 · Ingest: the feeds senders push, and their state' },
  { name: 'kpis', description: '指标 · KPIs' },
  { name: 'imports', description: '文件导入 · File imports' },
  { name: 'exports', description: '年度导出 · Exports' },
  { name: 'reference', description: '参考数据 · Reference data (跨域通办)' },
  { name: 'administration', description: '系统管理 · Administration' },
  { name: 'console', description: '控制台 · Console' },
  { name: 'auth', description: '登录 · Sign-in' },
  { name: 'system', description: '系统 · System' },
];
