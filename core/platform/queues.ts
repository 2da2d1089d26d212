import { RedisConnection, createIORedisClient, type ConnectionOptions, type DefaultJobOptions } from 'bullmq';
import { Cluster, Redis } from 'ioredis';
import type { FeedName } from '../../shared/feeds/feed.ts';
import { isClusterUrl, parseClusterUrl } from './redis.ts';

/**
 * One BullMQ queue per feed, so queue depth and idleness are visible per feed. The name is a hash tag:
 * every key of the queue (`<p>:bull:{ingest-<feed>}:*`) lands in one Redis Cluster slot, as BullMQ's
 * scripts need, and the five queues spread over the cluster's masters.
 */
export const ingestQueueName = (feed: FeedName) => `{ingest-${feed}}`;

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
  if (isClusterUrl(url)) installClusterClients();
  return role === 'command' ? { url, maxRetriesPerRequest: 1, retryStrategy } : { url, maxRetriesPerRequest: null, retryStrategy };
}

/**
 * BullMQ builds its own ioredis clients from connection options, always single-node. For a
 * `redis-cluster://` URL this factory (installed once, only when such a URL is used) builds an
 * ioredis `Cluster` instead, which BullMQ supports and owns (it closes what it creates); any other URL
 * gets what BullMQ would have built.
 */
function installClusterClients(): void {
  if (RedisConnection.clientFactory) return;
  RedisConnection.clientFactory = (opts) => {
    const { url, host, port, retryStrategy, enableOfflineQueue, ...perNode } = opts;
    if (url && isClusterUrl(url)) {
      const { nodes, username, password } = parseClusterUrl(url);
      return createIORedisClient(
        new Cluster(nodes, {
          redisOptions: { ...perNode, ...(username && { username }), ...(password && { password }) },
          clusterRetryStrategy: retryStrategy,
          enableOfflineQueue: enableOfflineQueue ?? true,
        }),
      );
    }
    const rest = { host, port, retryStrategy, enableOfflineQueue, ...perNode };
    return createIORedisClient(url ? new Redis(url, rest) : new Redis(rest));
  };
}
