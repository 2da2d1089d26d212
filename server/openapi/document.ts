import { readFileSync } from 'node:fs';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { ITEM_SCHEMA, PARTNER_SCHEMA } from '../../core/services/reference-service.ts';
import { errorResponses, type JsonSchema } from './operations.ts';
import { apiPaths, TAGS } from './paths.ts';

const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

/** Drops a schema's own `$schema`: inside the document the dialect is the document's. */
function embedded({ $schema: _dialect, ...schema }: Readonly<Record<string, unknown>>): JsonSchema {
  return schema;
}

let cached: JsonSchema | undefined;

/**
 * The OpenAPI 3.1 description of the whole HTTP API (GET /api/openapi.json): the calls of
 * server/openapi/paths.ts, and per feed the JSON Schema of one record, generated from the field kinds its
 * validation runs (core/feeds/field-kinds.ts). Built once per process.
 */
export function openApiDocument(): JsonSchema {
  cached ??= {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: 'Pulse 政务服务效能看板 API',
      version: VERSION,
      description:
        'JSON over HTTP. Errors are `{ "error": { "code", "message", "details"? } }` with a 4xx/5xx status; `code` is stable. ' +
        "Times without an offset are local in the server's TZ_REPORT (Asia/Shanghai by default). " +
        'The live stream (socket.io namespace `/live`) is described in API.md, not here.',
    },
    servers: [{ url: '/', description: 'this server' }],
    tags: TAGS,
    paths: apiPaths(),
    components: {
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: {
              type: 'object',
              properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
              required: ['code', 'message'],
            },
          },
          required: ['error'],
        },
        ...Object.fromEntries(FEED_NAMES.map((feed) => [`FeedRecord.${feed}`, embedded(FEED_MODULES[feed].recordSchema)])),
        ReferencePartner: embedded(PARTNER_SCHEMA),
        ReferenceItem: embedded(ITEM_SCHEMA),
      },
      responses: errorResponses(),
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'a session token (POST /api/auth/login) or a display token' },
        ingestToken: { type: 'http', scheme: 'bearer', description: 'the ingest token (INGEST_TOKEN)' },
        hmacSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Pulse-Signature',
          description: 'sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>"> by a secret of INGEST_HMAC_SECRET',
        },
        hmacTimestamp: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Pulse-Timestamp',
          description: "Unix seconds, within 300 s of the server's clock",
        },
      },
    },
  };
  return cached;
}
