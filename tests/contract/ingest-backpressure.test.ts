import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, KpisResponse } from '../../shared/api-types.ts';
import { bullConnection, ingestQueueName } from '../../core/platform/queues.ts';
import { signIngest } from '../../server/http/ingest-auth.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

// No worker: accepted batches stay queued, which is what a backlog looks like.
const SECRET = 'backpressure-secret-0123';
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ INGEST_MAX_BACKLOG_JOBS: '2', INGEST_HMAC_SECRET: SECRET }, { worker: false });
});
afterAll(() => app.close());

const post = (events: unknown[]) =>
  fetch(`${app.baseUrl}/api/ingest/hotline`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${INGEST_TOKEN}` },
    body: JSON.stringify({ events }),
  });

describe('backlog and personal data', () => {
  it('never puts a caller’s phone number in clear into the queue, the ledger or an answer', async () => {
    const phone = '13912345678';
    const res = await post([{ ticketId: 'PII-1', type: 'signed', at: '2022-09-02T09:00:00+08:00', callerPhone: phone }]);
    expect(await res.text()).not.toContain(phone);
    const queue = new Queue(ingestQueueName('hotline'), {
      connection: bullConnection(app.config.REDIS_URL!, 'command'),
      prefix: app.keys.queuePrefix(),
    });
    const jobs = await queue.getJobs(['waiting']);
    await queue.close();
    const queued = JSON.stringify(jobs.map((j) => j.data));
    expect(queued).toContain('PII-1');
    expect(queued).not.toContain(phone);
    expect(queued).not.toContain('12345678');
    const everything = await app.redis.keys(`${app.keys.prefix}:*`);
    for (const key of everything) {
      const type = await app.redis.type(key);
      const dump = type === 'hash' ? JSON.stringify(await app.redis.hgetall(key)) : type === 'string' ? await app.redis.get(key) : '';
      expect(dump ?? '', key).not.toContain(phone);
    }
    const token = await app.login();
    const kpis = (await (await app.get('/api/kpis?from=2022-09-02', token)).json()) as KpisResponse;
    expect(JSON.stringify(kpis)).not.toContain(phone);
  });

  it('answers 429 with Retry-After once the backlog is over its limit, and reports not idle', async () => {
    // One batch is already waiting (the test above); a second fills the backlog of 2.
    expect((await post([{ ticketId: 'Q1', type: 'signed', at: '2022-09-01T09:00:00+08:00' }])).status).toBe(202);
    await new Promise((r) => setTimeout(r, 600)); // the backlog count is refreshed every 500 ms
    const refused = await post([{ ticketId: 'Q2', type: 'signed', at: '2022-09-01T09:00:00+08:00' }]);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('10');
    expect(((await refused.json()) as ApiErrorBody).error.code).toBe('backlog_full');
    const token = await app.login();
    const status = (await (await app.get('/api/ingest/status', token)).json()) as {
      idle: boolean;
      feeds: { hotline: { waiting: number } };
    };
    expect(status).toMatchObject({ idle: false, feeds: { hotline: { waiting: 2 } } });
  });

  it('lets a sender retry a signed request refused with 429: a signature is spent only by a request that was accepted', async () => {
    const raw = JSON.stringify({ events: [{ ticketId: 'SIGNED-RETRY', type: 'signed', at: '2022-09-03T09:00:00+08:00' }] });
    const ts = Math.floor(Date.now() / 1000);
    const postSigned = () =>
      fetch(`${app.baseUrl}/api/ingest/hotline`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-pulse-timestamp': String(ts), 'x-pulse-signature': signIngest(SECRET, ts, raw) },
        body: raw,
      });
    // The backlog is still full (the test above).
    expect((await postSigned()).status).toBe(429);
    const queue = new Queue(ingestQueueName('hotline'), {
      connection: bullConnection(app.config.REDIS_URL!, 'command'),
      prefix: app.keys.queuePrefix(),
    });
    await queue.drain();
    await new Promise((r) => setTimeout(r, 600)); // the backlog count is refreshed every 500 ms
    // The same signed request, sent again twice at once: queued once, the other copy refused as a replay.
    const statuses = await Promise.all([postSigned(), postSigned()]).then((all) => all.map((r) => r.status).sort());
    expect(statuses).toEqual([202, 401]);
    const jobs = await queue.getJobs(['waiting']);
    await queue.close();
    expect(jobs.filter((j) => JSON.stringify(j.data).includes('SIGNED-RETRY'))).toHaveLength(1);
  });
});
