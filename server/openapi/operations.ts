import { z } from 'zod';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { EXPORT_FORMATS } from '../../shared/console-types.ts';

/**
 * Small builders for the OpenAPI operations of server/openapi/paths.ts: who may call, parameters,
 * bodies and answers, each written once. Bodies that a route validates with zod are described by that
 * same zod schema (z.toJSONSchema), never a second copy.
 */

export type JsonSchema = Record<string, unknown>;

/** Who may call: API.md's roles, the ingest senders, or anyone. */
export type Who = 'anyone' | 'admin' | 'manager' | 'readers' | 'ingest';

export interface Param {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required?: boolean;
  schema?: JsonSchema;
}

export interface OperationSpec {
  tag: string;
  summary: string;
  description?: string;
  who: Who;
  params?: Param[];
  /** A JSON body; `multipart` a form with the file `file` (and the named text fields). */
  body?: { json: JsonSchema; ndjson?: boolean; description?: string } | { multipart: Record<string, string>; description?: string };
  /** The success status and what it carries. */
  ok: { status?: number; description: string; json?: JsonSchema; content?: string };
  /** Failure statuses beyond those every authenticated call has. */
  errors?: number[];
}

const WHO_TEXT: Record<Who, string> = {
  anyone: 'Anyone (no token). 任何人。',
  admin: 'Administrators (bearer token of role admin). 管理员。',
  manager: 'Managers and administrators (bearer token). 管理人员、管理员。',
  readers: 'Managers, administrators and display tokens (bearer token). 管理人员、管理员、大屏令牌。',
  ingest: 'Senders: the ingest token, or an HMAC signature (X-Pulse-Timestamp, X-Pulse-Signature). 数据推送方。',
};

const ERROR_TEXT: Record<number, string> = {
  400: 'Bad request or validation failed (`code` bad_request / validation_failed; `details` names what is wrong)',
  401: 'No token, or an unknown or expired one (`unauthorized`)',
  403: "The token's role may not do this (`forbidden`)",
  404: 'Not found (`not_found`)',
  409: 'Conflict (`conflict`)',
  413: 'The body or file is too large (`payload_too_large`)',
  415: 'Wrong content type (`unsupported_media_type`)',
  429: 'Too many requests or too many batches waiting (`rate_limited` / `backlog_full`); see Retry-After',
  503: 'Redis is unreachable (`redis_unavailable`); see Retry-After',
};

/** A zod schema as JSON Schema, as a request body describes what the route accepts. */
export function fromZod(schema: z.ZodType): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
export const object = (properties: Record<string, JsonSchema>, required: string[] = Object.keys(properties)): JsonSchema => ({
  type: 'object',
  properties,
  required,
});
export const list = (items: JsonSchema): JsonSchema => object({ items: { type: 'array', items } });
export const str = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'string', description, ...extra });
export const int = (description: string, extra: JsonSchema = {}): JsonSchema => ({ type: 'integer', description, ...extra });
export const anyObject = (description: string): JsonSchema => ({ type: 'object', description });

export const pathParam = (name: string, description: string, schema: JsonSchema = { type: 'string' }): Param => ({
  name,
  in: 'path',
  description,
  required: true,
  schema,
});
export const queryParam = (name: string, description: string, schema: JsonSchema = { type: 'string' }, required = false): Param => ({
  name,
  in: 'query',
  description,
  required,
  schema,
});

/** One OpenAPI operation object. */
export function operation(spec: OperationSpec): JsonSchema {
  const errors = new Set<number>(spec.errors ?? []);
  if (spec.who !== 'anyone') errors.add(401);
  if (spec.who === 'admin' || spec.who === 'manager' || spec.who === 'readers') errors.add(403);
  if (spec.body || spec.params?.some((p) => p.in === 'query' || p.in === 'path')) errors.add(400);
  if (spec.who !== 'anyone') errors.add(503);
  const responses: Record<string, JsonSchema> = {
    [String(spec.ok.status ?? 200)]: {
      description: spec.ok.description,
      ...(spec.ok.json && { content: { 'application/json': { schema: spec.ok.json } } }),
      ...(spec.ok.content && { content: { [spec.ok.content]: { schema: { type: 'string', format: 'binary' } } } }),
    },
  };
  for (const status of [...errors].sort()) {
    responses[String(status)] = { $ref: `#/components/responses/E${status}` };
  }
  const security =
    spec.who === 'anyone' ? [] : spec.who === 'ingest' ? [{ ingestToken: [] }, { hmacSignature: [], hmacTimestamp: [] }] : [{ bearer: [] }];
  let requestBody: JsonSchema | undefined;
  if (spec.body && 'json' in spec.body) {
    const content: Record<string, JsonSchema> = { 'application/json': { schema: spec.body.json } };
    if (spec.body.ndjson) content['application/x-ndjson'] = { schema: { type: 'string', description: 'one record (JSON object) a line' } };
    requestBody = { required: true, description: spec.body.description, content };
  } else if (spec.body) {
    const fields: Record<string, JsonSchema> = { file: { type: 'string', format: 'binary', description: 'the file (CSV or XLSX)' } };
    for (const [name, description] of Object.entries(spec.body.multipart)) fields[name] = { type: 'string', description };
    requestBody = {
      required: true,
      description: spec.body.description,
      content: { 'multipart/form-data': { schema: object(fields, ['file', ...Object.keys(spec.body.multipart)]) } },
    };
  }
  return {
    tags: [spec.tag],
    summary: spec.summary,
    description: [spec.description, `**Who:** ${WHO_TEXT[spec.who]}`].filter(Boolean).join('\n\n'),
    ...(spec.params && spec.params.length > 0 && { parameters: spec.params }),
    ...(requestBody && { requestBody }),
    responses,
    security,
  };
}

/** The shared error answers, `{ error: { code, message, details? } }` (API.md). */
export function errorResponses(): Record<string, JsonSchema> {
  return Object.fromEntries(
    Object.entries(ERROR_TEXT).map(([status, description]) => [
      `E${status}`,
      { description, content: { 'application/json': { schema: ref('Error') } } },
    ]),
  );
}

/** Parameters and types several calls share. */
export const DAY = { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}$' };
export const from = queryParam('from', 'first day of the period, YYYY-MM-DD (local, TZ_REPORT)', DAY, true);
export const to = queryParam('to', 'last day of the period, YYYY-MM-DD (default: `from`)', DAY);
export const yearPath = pathParam('year', 'the year, YYYY', { type: 'integer', minimum: 2000, maximum: 2100 });
export const feedPath = pathParam('feed', 'the feed', { type: 'string', enum: [...FEED_NAMES] });
export const formatSchema = { type: 'string', enum: [...EXPORT_FORMATS] };
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
