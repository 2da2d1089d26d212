import { Queue, UnrecoverableError, Worker, type Job, type JobsOptions } from 'bullmq';
import { connectorQueueName, type ConnectorConfig } from '../core/connectors/config.ts';
import { AppError } from '../core/platform/errors.ts';
import { msg } from '../shared/messages/index.ts';
import type { Logger } from '../core/platform/logger.ts';
import { bullConnection } from '../core/platform/queues.ts';
import type { RedisKeys } from '../core/platform/redis-keys.ts';
import type { Connector, ConnectorRunSummary } from '../core/connectors/connector.ts';
import type { ConnectorHealthStore } from '../core/connectors/health.ts';

export interface ConnectorJobData {
  connectorId: string;
  /** `schedule`: made by the connector's job scheduler; `manual`: runNow. */
  trigger: 'schedule' | 'manual';
}

/** One connector's queue, its worker in this process, and what one run does. */
interface Lane {
  connector: ConnectorConfig;
  queue: Queue<ConnectorJobData, ConnectorRunSummary>;
  worker: Worker<ConnectorJobData, ConnectorRunSummary> | null;
  runner: Connector;
}

const RUN_NOW_POLL_MS = 50;

/** The configured interval in ms. */
export const normalIntervalMs = (c: ConnectorConfig) => Math.max(1, Math.round(c.intervalSeconds * 1000));

/**
 * The interval of a failing connector: doubled per failure from `failAfter` on, never beyond
 * `maxFailingIntervalSeconds` (nor below the configured interval).
 */
export function failingIntervalMs(c: ConnectorConfig, consecutiveFailures: number): number {
  const normal = normalIntervalMs(c);
  const doublings = Math.min(30, Math.max(1, consecutiveFailures - c.failAfter + 1));
  return Math.max(normal, Math.min(normal * 2 ** doublings, Math.round(c.maxFailingIntervalSeconds * 1000)));
}

/**
 * Runs connectors as BullMQ jobs. Each connector has its own queue with a global concurrency of 1 —
 * BullMQ's atomic move-to-active refuses a second active job across every worker process — and one
 * Job Scheduler (id = connector id) that `upsertJobScheduler` makes idempotently on every start of
 * every process. A failed attempt is retried with exponential backoff; from `failAfter` consecutive
 * failures on the connector is `failing`, further attempts are not retried, and its schedule slows down
 * (doubling up to `maxFailingIntervalSeconds`) until a run succeeds and puts it back.
 */
export class ConnectorScheduler {
  private readonly lanes = new Map<string, Lane>();
  private closed = false;

  private readonly redisUrl: string;
  private readonly keys: RedisKeys;
  private readonly health: ConnectorHealthStore;
  private readonly log: Logger;
  private readonly now: () => number;

  constructor(
    connectors: readonly ConnectorConfig[],
    redisUrl: string,
    keys: RedisKeys,
    health: ConnectorHealthStore,
    log: Logger,
    makeRunner: (c: ConnectorConfig) => Connector,
    now: () => number,
  ) {
    this.redisUrl = redisUrl;
    this.keys = keys;
    this.health = health;
    this.log = log;
    this.now = now;
    for (const c of connectors) {
      this.lanes.set(c.id, { connector: c, queue: this.openQueue(c.id), worker: null, runner: makeRunner(c) });
    }
  }

  /** Registers the connectors, removes the schedules of connectors no longer configured, upserts each schedule and starts the workers. */
  async start(): Promise<void> {
    const stale = await this.health.register([...this.lanes.values()].map((l) => l.connector));
    for (const id of stale) {
      const queue = this.openQueue(id);
      await queue.removeJobScheduler(id);
      await queue.close();
      this.log.info({ connector: id }, 'connector no longer configured: schedule removed');
    }
    for (const lane of this.lanes.values()) {
      if (this.closed) return;
      const c = lane.connector;
      await lane.queue.setGlobalConcurrency(1);
      const failures = await this.health.consecutiveFailures(c.id);
      await this.upsert(lane, failures >= c.failAfter ? failingIntervalMs(c, failures) : normalIntervalMs(c), false);
      lane.worker = this.startWorker(lane);
    }
  }

  /**
   * Runs a connector now — behind a run already in progress, never beside it — and resolves with what it
   * did once it (and its retries) finished; rejects with the last error when every attempt failed.
   */
  async runNow(connectorId: string): Promise<ConnectorRunSummary> {
    const lane = this.lanes.get(connectorId);
    if (!lane) throw new AppError('not_found', msg('connector.unknown', { id: connectorId }));
    const job = await lane.queue.add(
      'run',
      { connectorId, trigger: 'manual' },
      {
        ...this.jobOptions(lane.connector),
        removeOnComplete: { age: 3_600, count: 1_000 },
      },
    );
    const jobId = job.id!;
    for (;;) {
      const state = await lane.queue.getJobState(jobId);
      if (state === 'completed' || state === 'failed' || state === 'unknown') {
        const done = await lane.queue.getJob(jobId);
        if (state === 'completed' && done) return done.returnvalue;
        throw new Error(done?.failedReason ?? `connector run ${jobId} was removed before it finished`);
      }
      await new Promise((r) => setTimeout(r, RUN_NOW_POLL_MS));
    }
  }

  /** Stops the workers (each finishes its current run) and closes the queues. Schedules stay in Redis. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.lanes.values()].map((l) => l.worker?.close()));
    await Promise.all([...this.lanes.values()].map((l) => l.queue.close()));
  }

  private openQueue(id: string): Queue<ConnectorJobData, ConnectorRunSummary> {
    const queue = new Queue<ConnectorJobData, ConnectorRunSummary>(connectorQueueName(id), {
      connection: bullConnection(this.redisUrl, 'blocking'),
      prefix: this.keys.queuePrefix(),
    });
    queue.on('error', (err) => this.log.debug({ connector: id, err: err.message }, 'connector queue connection error'));
    return queue;
  }

  private startWorker(lane: Lane): Worker<ConnectorJobData, ConnectorRunSummary> {
    const id = lane.connector.id;
    const worker = new Worker<ConnectorJobData, ConnectorRunSummary>(connectorQueueName(id), (job) => this.process(lane, job), {
      connection: bullConnection(this.redisUrl, 'blocking'),
      prefix: this.keys.queuePrefix(),
      concurrency: 1,
    });
    worker.on('completed', (job, summary) =>
      this.log.debug(
        { connector: id, trigger: job.data.trigger, pages: summary.pages, received: summary.received, rejected: summary.rejected },
        'connector run finished',
      ),
    );
    worker.on('failed', (job, err) =>
      this.log.warn({ connector: id, trigger: job?.data.trigger, attempt: job?.attemptsMade, err: err.message }, 'connector run failed'),
    );
    worker.on('error', (err) => this.log.warn({ connector: id, err: err.message }, 'connector worker error'));
    return worker;
  }

  private async process(lane: Lane, _job: Job<ConnectorJobData, ConnectorRunSummary>): Promise<ConnectorRunSummary> {
    const c = lane.connector;
    let summary: ConnectorRunSummary;
    try {
      summary = await lane.runner.run();
    } catch (err) {
      const message = (err as Error).message;
      const failures = await this.health.recordFailure(c, message);
      if (failures >= c.failAfter) {
        await this.reschedule(lane, failingIntervalMs(c, failures));
        // Failing: no quick retries any more; the slowed schedule tries again.
        throw new UnrecoverableError(message);
      }
      throw err;
    }
    await this.health.recordSuccess(c, summary);
    await this.reschedule(lane, normalIntervalMs(c));
    return summary;
  }

  /** Changes the schedule's interval when it differs; the next run comes one new interval from now. */
  private async reschedule(lane: Lane, everyMs: number): Promise<void> {
    try {
      const current = await this.health.currentIntervalMs(lane.connector.id);
      if (current === everyMs) return;
      await this.upsert(lane, everyMs, true);
      this.log.info({ connector: lane.connector.id, intervalSeconds: everyMs / 1000 }, 'connector schedule changed');
    } catch (err) {
      this.log.warn({ connector: lane.connector.id, err: (err as Error).message }, 'could not change the connector schedule');
    }
  }

  private async upsert(lane: Lane, everyMs: number, startAfterInterval: boolean): Promise<void> {
    const c = lane.connector;
    await lane.queue.upsertJobScheduler(
      c.id,
      { every: everyMs, ...(startAfterInterval && { startDate: this.now() + everyMs }) },
      { name: 'run', data: { connectorId: c.id, trigger: 'schedule' }, opts: this.jobOptions(c) },
    );
    await this.health.setCurrentIntervalMs(c.id, everyMs);
  }

  private jobOptions(c: ConnectorConfig): JobsOptions {
    return {
      attempts: c.retry.attempts,
      backoff: { type: 'exponential', delay: Math.round(c.retry.backoffSeconds * 1000) },
      removeOnComplete: { count: 20 },
      removeOnFail: { count: 50 },
    };
  }
}
