import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, KpisResponse } from '../../shared/api-types.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';
import { startTestRedis, type TestRedis } from '../support/redis-server.ts';

let redis: TestRedis;
let app: TestApp;
const dir = mkdtempSync(join(tmpdir(), 'pulse-outage-'));

beforeAll(async () => {
  redis = await startTestRedis({ appendonly: true, dir });
  app = await startTestApp({ REDIS_URL: redis.url });
});
afterAll(async () => {
  await app.close();
  await redis.stop();
  rmSync(dir, { recursive: true, force: true });
});

const post = (events: unknown[]) =>
  fetch(`${app.baseUrl}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify({ events }),
  });

describe('while Redis is unreachable', () => {
  it('answers 503 with Retry-After (never a 2xx for a record held only in memory), and accepts again once Redis is back', async () => {
    const token = await app.login();
    const record = { ticketId: 'OUT-1', type: 'signed', at: '2022-07-01T09:00:00+08:00' };
    const port = redis.port;
    await redis.stop();

    const refused = await post([record]);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toBe('5');
    expect(((await refused.json()) as ApiErrorBody).error.code).toBe('redis_unavailable');
    const health = await fetch(`${app.baseUrl}/api/health`);
    expect(await health.json()).toMatchObject({ status: 'degraded', redis: { reachable: false } });

    redis = await startTestRedis({ port, appendonly: true, dir });
    // A sender retries until accepted; the server reconnects by itself.
    let status = 0;
    for (let attempt = 0; attempt < 50 && status !== 202; attempt++) {
      status = (await post([record])).status;
      if (status !== 202) await new Promise((r) => setTimeout(r, 200));
    }
    expect(status).toBe(202);
    // The session survived the restart with Redis's AOF, as everything accepted does.
    await app.waitIdle(token);
    const kpis = (await (await app.get('/api/kpis?from=2022-07-01', token)).json()) as KpisResponse;
    expect(kpis.kpis['hotline.signed']).toMatchObject({ value: 1 });
  });
});
