import type { ConnectionOptions, DefaultJobOptions } from 'bullmq';
import type { FeedName } from './feeds/feed.ts';

/** One BullMQ queue per feed, so queue depth and idleness are visible per feed. */
export const ingestQueueName = (feed: FeedName) => `ingest-${feed}`;

/**
 * Jobs are retried with backoff; the ledger makes a retry apply only what it had not applied.
 * Completed jobs are dropped (the ledger keeps the records); failed ones are kept for inspection and retry.
 */
export const INGEST_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: true,
  removeOnFail: false,
};

/**
 * BullMQ connection options: producers (`command`) give up on a command after one reconnection
 * attempt (~0.5 s) so HTTP can answer 503; workers (`blocking`) retry forever, with
 * `maxRetriesPerRequest: null` as BullMQ requires. (The producer keeps the offline queue: BullMQ
 * sends its first commands before the connection is up.)
 */
export function bullConnection(url: string, role: 'command' | 'blocking'): ConnectionOptions {
  const retryStrategy = (attempt: number) => Math.min(attempt * 200, 2_000);
  return role === 'command'
    ? { url, maxRetriesPerRequest: 1, retryStrategy }
    : { url, maxRetriesPerRequest: null, retryStrategy };
}
