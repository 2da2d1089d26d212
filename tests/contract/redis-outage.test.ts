import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, KpisResponse } from '../../shared/api-types.ts';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { INGEST_JOB_OPTIONS, bullConnection, ingestQueueName } from '../../core/platform/queues.ts';
import { localDayHour } from '../../shared/time.ts';
import type { IngestJobData } from '../../core/ingest/apply-service.ts';
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

describe('a batch queued whose received count the server never wrote', () => {
  it('is counted when the worker first takes it: the day balances, received equals what the worker made of it', async () => {
    // The window of scripts/reliability/redis-restart.ts: the server queued the batch, then died or lost
    // Redis before counting it (and answered 503, so the sender's retry is a second batch). Queued here
    // exactly as the server queues it, without the count that followed.
    const token = await app.login();
    const raws = [
      { ticketId: 'UNCOUNTED-1', type: 'signed', at: '2022-08-01T09:00:00+08:00' },
      { ticketId: 'UNCOUNTED-2', type: 'signed', at: '2022-08-01T10:00:00+08:00' },
    ];
    const records = raws.map((raw) => {
      const result = FEED_MODULES.hotline!.normalize(raw, { tz: app.config.TZ_REPORT, hashPhone: (p) => p });
      if (!result.ok) throw new Error(result.errors.join('; '));
      return result.record;
    });
    const batchId = randomUUID();
    const receivedAt = Date.now();
    // One more record was received than accepted: the request also carried one the feed rejected.
    const data: IngestJobData = { feed: 'hotline', batchId, receivedAt, records, received: 3, rejected: 1 };
    const statsKey = app.keys.ingestStats('hotline', localDayHour(receivedAt, app.config.TZ_REPORT).day);
    const counts = async () => {
      const raw = await app.redis.hgetall(statsKey);
      return { received: Number(raw.received ?? 0), rejected: Number(raw.rejected ?? 0), accepted: Number(raw.accepted ?? 0) };
    };
    const before = await counts();
    const queue = new Queue(ingestQueueName('hotline'), {
      connection: bullConnection(redis.url, 'command'),
      prefix: app.keys.queuePrefix(),
      defaultJobOptions: INGEST_JOB_OPTIONS,
    });
    try {
      await queue.add('hotline', data, { jobId: batchId });
    } finally {
      await queue.close();
    }
    await app.waitIdle(token);
    const after = await counts();
    expect({
      received: after.received - before.received,
      rejected: after.rejected - before.rejected,
      accepted: after.accepted - before.accepted,
    }).toEqual({ received: 3, rejected: 1, accepted: 2 });

    // A batch the server did count is not counted again when the worker takes it.
    expect((await post([{ ticketId: 'COUNTED-1', type: 'signed', at: '2022-08-01T11:00:00+08:00' }])).status).toBe(202);
    await app.waitIdle(token);
    const later = await counts();
    expect({ received: later.received - after.received, accepted: later.accepted - after.accepted }).toEqual({ received: 1, accepted: 1 });
  });
});
