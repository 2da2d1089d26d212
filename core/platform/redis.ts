import { Cluster, Redis, type ChainableCommander, type ClusterNode, type RedisOptions } from 'ioredis';

/**
 * Redis connections configured the way each user needs them:
 * - `command`: fails fast while Redis is unreachable (HTTP requests answer 503 instead of hanging);
 * - `blocking`: retries forever (BullMQ workers, pub/sub subscribers), as BullMQ requires.
 */
export type ConnectionRole = 'command' | 'blocking';

export function redisOptions(role: ConnectionRole): RedisOptions {
  return role === 'command'
    ? { enableOfflineQueue: false, maxRetriesPerRequest: 1, connectTimeout: 2_000, retryStrategy: (n) => Math.min(n * 200, 2_000) }
    : { maxRetriesPerRequest: null, retryStrategy: (n) => Math.min(n * 200, 2_000) };
}

/** Scheme of a Redis Cluster in `REDIS_URL`: `redis-cluster://[user:password@]host:port,host:port,…` (any masters; the rest are discovered). */
export const CLUSTER_SCHEME = 'redis-cluster:';

/** Whether `url` names a Redis Cluster rather than one Redis. */
export function isClusterUrl(url: string): boolean {
  return url.startsWith(`${CLUSTER_SCHEME}//`);
}

export interface ClusterAddress {
  nodes: ClusterNode[];
  username?: string;
  password?: string;
}

/** The seed nodes and credentials of a `redis-cluster://` URL; throws on a malformed one (config validation uses it). */
export function parseClusterUrl(url: string): ClusterAddress {
  const rest = url.slice(`${CLUSTER_SCHEME}//`.length).replace(/\/$/, '');
  const at = rest.lastIndexOf('@');
  const credentials = at >= 0 ? rest.slice(0, at) : '';
  const hosts = (at >= 0 ? rest.slice(at + 1) : rest).split(',').filter(Boolean);
  if (hosts.length === 0) throw new Error('names no node');
  const nodes = hosts.map((hostPort) => {
    const match = /^([^\s:/,@]+|\[[0-9a-fA-F:]+\]):(\d{1,5})$/.exec(hostPort);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) throw new Error(`"${hostPort}" is not host:port`);
    return { host: match[1]!.replace(/^\[|\]$/g, ''), port: Number(match[2]) };
  });
  const colon = credentials.indexOf(':');
  const username = decodeURIComponent(colon >= 0 ? credentials.slice(0, colon) : '');
  const password = decodeURIComponent(colon >= 0 ? credentials.slice(colon + 1) : credentials);
  return { nodes, ...(username && { username }), ...(password && { password }) };
}

/**
 * A Redis Cluster client that speaks to the services exactly like one Redis. ioredis refuses a
 * pipeline whose keys live on different nodes; a pipeline is not atomic anyway, so here `pipeline()`
 * sends its commands one by one and ioredis's auto-pipelining batches them per node in the same tick.
 * `multi()` is left as it is: a transaction must stay in one slot, which the hash tags of
 * `core/platform/redis-keys.ts` see to.
 */
function clusterClient(url: string, role: ConnectionRole, connectionName: string): Redis {
  const { nodes, username, password } = parseClusterUrl(url);
  const { retryStrategy, enableOfflineQueue, ...perNode } = redisOptions(role);
  const cluster = new Cluster(nodes, {
    redisOptions: { ...perNode, connectionName, ...(username && { username }), ...(password && { password }) },
    clusterRetryStrategy: retryStrategy,
    enableOfflineQueue: enableOfflineQueue ?? true,
    enableAutoPipelining: true,
  });
  const commands = cluster as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const pipeline = (initial?: unknown[][]) => spreadPipeline(commands, initial);
  // A view of the client: ioredis itself (auto-pipelining included) keeps using its own pipeline().
  return new Proxy(cluster, {
    get(target, name, receiver) {
      if (name === 'pipeline') return pipeline;
      const value: unknown = Reflect.get(target, name, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as unknown as Redis;
}

/** A pipeline-shaped recorder whose `exec()` sends each command through the cluster client, results in order. */
function spreadPipeline(commands: Record<string, (...args: unknown[]) => Promise<unknown>>, initial: unknown[][] = []): ChainableCommander {
  const queued: [string, unknown[]][] = initial.map(([name, ...args]) => [String(name), args]);
  const proxy: ChainableCommander = new Proxy({} as ChainableCommander, {
    get(_target, name: string) {
      if (name === 'exec') {
        return async () =>
          Promise.all(
            queued.map(([command, args]) =>
              commands[command]!(...args).then(
                (value) => [null, value] as const,
                (err: Error) => [err, null] as const,
              ),
            ),
          );
      }
      if (name === 'length') return queued.length;
      if (name === 'then') return undefined; // not a thenable
      return (...args: unknown[]) => {
        queued.push([name, args]);
        return proxy;
      };
    },
  });
  return proxy;
}

/**
 * One connection for `url` — a `redis://` URL or a `redis-cluster://` list of nodes (typed as `Redis`:
 * a cluster client answers the same commands; see `mastersOf` for SCAN).
 */
export function connectRedis(url: string, role: ConnectionRole, connectionName: string): Redis {
  if (isClusterUrl(url)) return clusterClient(url, role, connectionName);
  return new Redis(url, { ...redisOptions(role), connectionName });
}

/** Whether a connection from `connectRedis` is a cluster client. */
export function isCluster(redis: Redis): boolean {
  return (redis as unknown as { isCluster?: boolean }).isCluster === true;
}

/**
 * The connections a keyspace walk (SCAN, KEYS) must visit: the master nodes of a cluster (each holds
 * its own slots), or the one Redis itself.
 */
export function mastersOf(redis: Redis): Redis[] {
  return isCluster(redis) ? (redis as unknown as Cluster).nodes('master') : [redis];
}

/** Every key matching `pattern`, across every master of a cluster. */
export async function scanAll(redis: Redis, pattern: string, count = 1_000): Promise<string[]> {
  const out: string[] = [];
  for (const node of mastersOf(redis)) {
    let cursor = '0';
    do {
      const [next, found] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', count);
      cursor = next;
      out.push(...found);
    } while (cursor !== '0');
  }
  return out;
}

/** Resolves once the connection is ready, or rejects after `timeoutMs`. */
export async function waitForReady(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis did not become ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}
