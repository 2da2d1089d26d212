import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import type { Redis } from 'ioredis';
import type { IngestResponse, LoginResponse } from '../../shared/api-types.ts';
import { loadConfig, type Config } from '../../core/platform/config.ts';
import { createLogger } from '../../core/platform/logger.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';
import { connectRedis } from '../../core/platform/redis.ts';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket-events.ts';
import { startServer } from '../../server/server-process.ts';
import { startWorker } from '../../workers/worker-process.ts';

export const ADMIN_PASSWORD = 'test-root-passphrase';
export const INGEST_TOKEN = 'test-ingest-token-0123456789';

/** A unique key prefix, so test files sharing one redis-server never see each other's data. */
export const uniquePrefix = () => `t${randomBytes(5).toString('hex')}`;

export function testConfig(overrides: Record<string, string> = {}): Config {
  return loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: uniquePrefix(),
    ADMIN_PASSWORD,
    INGEST_TOKEN,
    LOG_LEVEL: 'silent',
    LIVE_COALESCE_MS: '50',
    LIVE_HEARTBEAT_MS: '1000',
    ...overrides,
  });
}

export interface TestApp {
  baseUrl: string;
  config: Config;
  redis: Redis;
  keys: ReturnType<typeof redisKeys>;
  login(username?: string, password?: string): Promise<string>;
  /** POST /api/ingest/:feed; `acceptLanguage` for the reasons' language (none: the server's default, Chinese). */
  ingest(feed: string, events: unknown[], acceptLanguage?: string): Promise<IngestResponse>;
  get(path: string, token: string): Promise<Response>;
  waitIdle(token: string): Promise<void>;
  connectLive(token: string): Socket<ServerToClientEvents, ClientToServerEvents>;
  /** Stops the server process only (worker and Redis data stay), as a crash or a deploy would. */
  stopServer(): Promise<void>;
  /** Starts the server again on the same port and Redis prefix (after stopServer). */
  restartServer(): Promise<void>;
  close(): Promise<void>;
}

/** The real server and worker (unless `worker: false`) on a random port, against the run's redis-server. */
export async function startTestApp(overrides: Record<string, string> = {}, options: { worker?: boolean } = {}): Promise<TestApp> {
  const config = testConfig(overrides);
  const log = createLogger('silent', 'test');
  const redisUrl = config.REDIS_URL!;
  const worker = options.worker === false ? null : startWorker(config, redisUrl, log);
  let server: Awaited<ReturnType<typeof startServer>> | null = await startServer(config, redisUrl, log);
  const port = server.port;
  const baseUrl = `http://127.0.0.1:${port}`;
  const redis = connectRedis(redisUrl, 'blocking', 'test-app'); // one Redis or a cluster (REDIS_URL=redis-cluster://…)
  const sockets: Socket[] = [];
  let closed = false;
  const app: TestApp = {
    baseUrl,
    config,
    redis,
    keys: redisKeys(config.REDIS_PREFIX),
    async login(username = 'admin', password = ADMIN_PASSWORD) {
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
      return ((await res.json()) as LoginResponse).token;
    },
    async ingest(feed, events, acceptLanguage) {
      const res = await fetch(`${baseUrl}/api/ingest/${feed}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${INGEST_TOKEN}`,
          ...(acceptLanguage !== undefined && { 'accept-language': acceptLanguage }),
        },
        body: JSON.stringify({ events }),
      });
      if (res.status !== 202) throw new Error(`ingest failed: ${res.status} ${await res.text()}`);
      return (await res.json()) as IngestResponse;
    },
    get: (path, token) => fetch(`${baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } }),
    async waitIdle(token) {
      for (let i = 0; i < 400; i++) {
        const status = (await (await app.get('/api/ingest/status', token)).json()) as { idle: boolean };
        if (status.idle) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error('ingest did not become idle within 10 s');
    },
    connectLive(token) {
      const socket = io(`${baseUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
      sockets.push(socket);
      return socket;
    },
    async stopServer() {
      await server?.close();
      server = null;
    },
    async restartServer() {
      if (server) throw new Error('the server is running: stopServer() first');
      server = await startServer({ ...config, PORT: port }, redisUrl, log);
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const s of sockets) s.disconnect();
      await worker?.close();
      await server?.close();
      redis.disconnect();
    },
  };
  return app;
}
