import { Worker } from 'bullmq';
import type { Config } from '../core/platform/config.ts';
import { bullConnection, ingestQueueName } from '../core/platform/queues.ts';
import type { CoreContext } from '../core/context.ts';
import { ApplyService, SUPPORTED_FEEDS, type BatchResult, type IngestJobData } from '../core/ingest/apply-service.ts';

export interface IngestWorkers {
  close(): Promise<void>;
}

/** Starts one BullMQ worker per supported feed; each applies its queue's batches via ApplyService. */
export function startIngestWorkers(config: Config, redisUrl: string, ctx: CoreContext): IngestWorkers {
  const { keys, log } = ctx;
  const applyService = new ApplyService(ctx);
  const workers = SUPPORTED_FEEDS.map((feed) => {
    const worker = new Worker<IngestJobData, BatchResult>(ingestQueueName(feed), (job) => applyService.applyBatch(job.data), {
      connection: bullConnection(redisUrl, 'blocking'),
      prefix: keys.queuePrefix(),
      concurrency: config.WORKER_CONCURRENCY,
      // A worker killed mid-batch (kill -9, OOM, power) leaves its batch locked; after the lock lapses
      // the next stalled-job check hands it to any worker. Re-running a batch is safe (the ledger
      // recognises its own deliveries as replays), so a batch may stall many times before failing: a
      // stalled batch is the next one taken, so a run of crashes hits the same batch each time, and
      // BullMQ fails a batch over this count for good (kept in `failed`, retryable from the console).
      lockDuration: config.WORKER_LOCK_MS,
      stalledInterval: config.WORKER_LOCK_MS,
      maxStalledCount: 100,
    });
    // A batch's lines carry the id of the request that sent it (reqId), as the server's access log does.
    const batchLog = (data: IngestJobData | undefined) =>
      log.child({ ...(data?.requestId && { reqId: data.requestId }), feed, batchId: data?.batchId });
    worker.on('completed', (job, result) => batchLog(job.data).info(result.counts, 'batch applied'));
    worker.on('failed', (job, err) => batchLog(job?.data).error({ attempt: job?.attemptsMade, err: err.message }, 'batch failed'));
    worker.on('error', (err) => log.warn({ feed, err: err.message }, 'worker connection error'));
    return worker;
  });
  return {
    async close() {
      await Promise.all(workers.map((w) => w.close()));
    },
  };
}
