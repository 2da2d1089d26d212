import { Validator } from '@seriousme/openapi-schema-validator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { startServer, type RunningServer } from '../../server/server-process.ts';
import { testConfig } from '../support/app.ts';

/**
 * GET /api/openapi.json (API.md v2): valid OpenAPI 3.1, describing exactly the routes express has
 * registered — a route added without its description fails here — with each feed's record schema.
 */

interface Layer {
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every `METHOD /path` the app's router holds, sub-routers walked with their mount paths; `:name` → `{name}`. */
function registeredRoutes(stack: Layer[], prefix = ''): string[] {
  const out: string[] = [];
  for (const layer of stack) {
    if (layer.route) {
      const path = layer.route.path;
      const shown = typeof path === 'string' ? prefix + path.replace(/:(\w+)/g, '{$1}') : `${prefix}${String(path)}`;
      for (const method of Object.keys(layer.route.methods).filter((m) => m !== '_all')) out.push(`${method.toUpperCase()} ${shown}`);
    } else if (layer.handle?.stack) {
      if (typeof layer.rawPath !== 'string') throw new Error(`a router mounted at a non-string path: ${String(layer.rawPath)}`);
      out.push(...registeredRoutes(layer.handle.stack, layer.rawPath === '/' ? prefix : prefix + layer.rawPath));
    }
  }
  return out;
}

/** Not HTTP API calls: the client's pages (its history fallback, or the "not built" answer). */
const NOT_API = [/^GET \/\^\(\?!\\\/api\\\/\|\\\/socket\\\.io\\\/\)\.\*\/$/, /^GET \/$/];

let server: RunningServer;
let base: string;

beforeAll(async () => {
  server = await startServer(testConfig(), testConfig().REDIS_URL!, createLogger('silent', 'test'));
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

async function document(): Promise<{
  openapi: string;
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: Record<string, unknown> };
}> {
  const res = await fetch(`${base}/api/openapi.json`);
  expect(res.status).toBe(200);
  return (await res.json()) as never;
}

describe('GET /api/openapi.json', () => {
  it('is served to anyone and validates against the OpenAPI 3.1 schema', async () => {
    const doc = await document();
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validator = new Validator();
    const result = await validator.validate(doc as never);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(validator.version).toBe('3.1');
  });

  it('describes every route express has registered, and no route that does not exist', async () => {
    const doc = await document();
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path}`));
    const all = registeredRoutes((server.app as unknown as { router: { stack: Layer[] } }).router.stack);
    const api = all.filter((r) => !NOT_API.some((re) => re.test(r)));
    expect(all.length - api.length).toBe(1); // the client's pages: one of the two, as the client is built or not
    expect(api.length).toBeGreaterThan(40);
    expect([...new Set(api)].sort()).toEqual(api.sort()); // no route registered twice
    expect(
      api.filter((r) => !documented.includes(r)),
      'registered but not described',
    ).toEqual([]);
    expect(
      documented.filter((r) => !api.includes(r)),
      'described but not registered',
    ).toEqual([]);
  });

  it("holds each feed's record schema, the one its validation is generated with", async () => {
    const doc = await document();
    for (const feed of FEED_NAMES) {
      const { $schema: _dialect, ...schema } = FEED_MODULES[feed].recordSchema;
      expect(doc.components.schemas[`FeedRecord.${feed}`]).toEqual(schema);
    }
    expect(Object.keys(doc.components.schemas)).toEqual(expect.arrayContaining(['ReferencePartner', 'ReferenceItem', 'Error']));
  });
});
