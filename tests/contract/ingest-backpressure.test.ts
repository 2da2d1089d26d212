import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiErrorBody, KpisResponse } from '../../shared/api-types.ts';
import { bullConnection, ingestQueueName } from '../../shared/queues.ts';
import { INGEST_TOKEN, startTestApp, type TestApp } from '../support/app.ts';

// No worker: accepted batches stay queued, which is what a backlog looks like.
let app: TestApp;
beforeAll(async () => {
  app = await startTestApp({ INGEST_MAX_BACKLOG_JOBS: '2' }, { worker: false });
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
    const queue = new Queue(ingestQueueName('hotline'), { connection: bullConnection(app.config.REDIS_URL!, 'command'), prefix: app.keys.queuePrefix() });
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
    const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean; feeds: { hotline: { waiting: number } } };
    expect(status).toMatchObject({ idle: false, feeds: { hotline: { waiting: 2 } } });
  });
});
