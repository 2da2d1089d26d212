import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FailedJobsResponse } from '../../shared/console-types.ts';
import { bullConnection, ingestQueueName } from '../../core/platform/queues.ts';
import { startTestApp, type TestApp } from '../support/app.ts';

let app: TestApp;
let admin: string;

beforeAll(async () => {
  // No Pulse worker: the test's own worker fails a batch, so it stays failed for the console to retry.
  app = await startTestApp({}, { worker: false });
  admin = await app.login();
});
afterAll(async () => {
  await app?.close();
});

describe('failed batches', () => {
  it('lists a failed batch with its reason and puts it back on its queue on retry (audit-logged)', async () => {
    const redisUrl = app.config.REDIS_URL!;
    const accepted = await app.ingest('hall', [{ queueId: 'A001', type: 'taken', at: '2022-03-04T09:00:00+08:00' }]);
    // An unrecoverable error fails the batch for good at once (no backoff retries).
    const failing = new Worker(
      ingestQueueName('hall'),
      async () => {
        throw new UnrecoverableError('disk on fire');
      },
      {
        connection: bullConnection(redisUrl, 'blocking'),
        prefix: app.keys.queuePrefix(),
      },
    );
    const queue = new Queue(ingestQueueName('hall'), { connection: bullConnection(redisUrl, 'command'), prefix: app.keys.queuePrefix() });
    try {
      await expect
        .poll(async () => ((await (await app.get('/api/console/failed-jobs', admin)).json()) as FailedJobsResponse).items.length, {
          timeout: 20_000,
        })
        .toBe(1);
      await failing.close();
      const { items } = (await (await app.get('/api/console/failed-jobs', admin)).json()) as FailedJobsResponse;
      expect(items[0]).toMatchObject({ feed: 'hall', jobId: accepted.batchId, records: 1, failedReason: 'disk on fire' });

      const retry = await fetch(`${app.baseUrl}/api/console/failed-jobs/hall/${accepted.batchId}/retry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(retry.status).toBe(202);
      expect(await queue.getJobState(accepted.batchId!)).toBe('waiting');
      expect(((await (await app.get('/api/console/failed-jobs', admin)).json()) as FailedJobsResponse).items).toEqual([]);
      const again = await fetch(`${app.baseUrl}/api/console/failed-jobs/hall/${accepted.batchId}/retry`, {
        method: 'POST',
        headers: { authorization: `Bearer ${admin}` },
      });
      expect(again.status).toBe(404);
      const audit = (await (await app.get('/api/admin/audit?limit=10', admin)).json()) as { entries: { action: string; target: string }[] };
      expect(audit.entries).toContainEqual(expect.objectContaining({ action: 'job.retry', target: `hall/${accepted.batchId}` }));
    } finally {
      await failing.close();
      await queue.close();
    }
  });
});
