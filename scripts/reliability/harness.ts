/**
 * Real parts for the fault scenarios: a redis-server with AOF on a free port (stopped and started on
 * the same data at will), and Pulse's own entry points (`server/main.ts`, `workers/main.ts`) as
 * separate processes, as `npm run start:server` / `start:worker` run them — so a `kill -9` is a real one.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_DATA_SETTINGS, redisAnswers } from '../../core/platform/embedded-redis.ts';
import { freePort } from '../../core/platform/free-port.ts';

export const ROOT = new URL('../..', import.meta.url).pathname;
export const ADMIN_PASSWORD = 'reliability-root-passphrase';
export const INGEST_TOKEN = 'reliability-ingest-token-0123456789';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Every child this process started, killed when it exits however it exits (a timed-out test included). */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});
function track(child: ChildProcess): ChildProcess {
  children.add(child);
  child.once('exit', () => children.delete(child));
  return child;
}

export interface ScenarioRedis {
  url: string;
  port: number;
  /** Stops redis-server: SIGTERM (it flushes its AOF and exits) or SIGKILL (a crash). */
  stop(signal?: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  /** Starts it again on the same port and data directory, and waits until it answers. */
  start(): Promise<void>;
  /** Stops it and deletes its data. */
  destroy(): Promise<void>;
}

/** A redis-server with AOF on (`appendfsync` everysec, or always as Pulse deploys it), no RDB snapshots. */
export async function startScenarioRedis(options: { appendfsync?: 'everysec' | 'always' } = {}): Promise<ScenarioRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'pulse-reliability-redis-'));
  const url = `redis://127.0.0.1:${port}`;
  let child: ChildProcess | null = null;
  let exited: Promise<void> = Promise.resolve();
  const start = async () => {
    const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'];
    args.push('--appendfsync', options.appendfsync ?? 'everysec', '--maxmemory-policy', 'noeviction', ...REDIS_DATA_SETTINGS);
    const proc = track(spawn('redis-server', args, { stdio: 'ignore' }));
    child = proc;
    exited = new Promise((resolve) => proc.once('exit', () => resolve()));
    const deadline = Date.now() + 20_000;
    while (!(await redisAnswers(url, 200))) {
      if (Date.now() > deadline || proc.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`);
      await sleep(50);
    }
  };
  const stop = async (signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM') => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
    child = null;
  };
  await start();
  return {
    url,
    port,
    stop,
    start,
    async destroy() {
      await stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface PulseProcess {
  child: ChildProcess;
  pid: number;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  exited: Promise<void>;
  /** `kill -9`: no shutdown hook runs. */
  kill9(): Promise<void>;
  /** SIGTERM and wait for the orderly shutdown. */
  stop(): Promise<void>;
}

/** Starts a Pulse entry point as its own process (as `npm run start:server` / `start:worker` do). */
export function spawnPulse(entry: 'server/main.ts' | 'workers/main.ts', env: Record<string, string>): PulseProcess {
  const child = track(
    spawn(process.execPath, [entry], {
      cwd: ROOT,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  return {
    child,
    pid: child.pid!,
    output: () => output,
    exited,
    async kill9() {
      if (running()) process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
    async stop() {
      if (running()) child.kill('SIGTERM');
      await Promise.race([exited, sleep(20_000)]);
      if (running()) process.kill(child.pid!, 'SIGKILL');
      await exited;
    },
  };
}

/** Waits until `url` answers 200. */
export async function waitForHttp(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
    await sleep(100);
  }
}

export interface PulseCluster {
  redis: ScenarioRedis;
  env: Record<string, string>;
  baseUrls: string[];
  servers: PulseProcess[];
  /** The worker processes currently meant to run (a killed one is replaced by `restartWorker`). */
  workers: PulseProcess[];
  /** Kills worker `i` with SIGKILL and starts a fresh one in its place. */
  restartWorker(i: number): Promise<PulseProcess>;
  login(baseUrl?: string): Promise<string>;
  /** Polls GET /api/ingest/status until idle; returns the last status. */
  waitIdle(token: string, timeoutMs: number): Promise<IngestStatus>;
  ingestStatus(token: string): Promise<IngestStatus>;
  stop(): Promise<void>;
}

export interface IngestStatus {
  idle: boolean;
  feeds: Record<string, { waiting: number; active: number; delayed: number; failed: number }>;
}

/**
 * `servers` server processes and `workers` worker processes against one AOF redis-server.
 * `WORKER_LOCK_MS` defaults low here so a killed worker's batch is taken up again within seconds.
 */
export async function startPulseCluster(options: {
  servers: number;
  workers: number;
  redis?: ScenarioRedis;
  env?: Record<string, string>;
}): Promise<PulseCluster> {
  const redis = options.redis ?? (await startScenarioRedis());
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-reliability-data-'));
  // No pull connectors, whatever ./connectors.json the working tree holds.
  writeFileSync(join(dataDir, 'connectors.json'), '{ "connectors": [] }\n');
  const env: Record<string, string> = {
    REDIS_URL: redis.url,
    REDIS_PREFIX: 'rel',
    HOST: '127.0.0.1',
    ADMIN_PASSWORD,
    INGEST_TOKEN,
    INGEST_MAX_BACKLOG_JOBS: '100000',
    LOG_LEVEL: 'warn',
    WORKER_LOCK_MS: '2000',
    DATA_DIR: dataDir,
    CONNECTORS_FILE: join(dataDir, 'connectors.json'),
    ...options.env,
  };
  const ports = await Promise.all(Array.from({ length: options.servers }, () => freePort()));
  const servers = ports.map((port) => spawnPulse('server/main.ts', { ...env, PORT: String(port) }));
  const workers = Array.from({ length: options.workers }, () => spawnPulse('workers/main.ts', env));
  const baseUrls = ports.map((port) => `http://127.0.0.1:${port}`);
  const cluster: PulseCluster = {
    redis,
    env,
    baseUrls,
    servers,
    workers,
    async restartWorker(i) {
      await workers[i]!.kill9();
      workers[i] = spawnPulse('workers/main.ts', env);
      return workers[i]!;
    },
    async login(baseUrl = baseUrls[0]!) {
      const res = await fetch(`${baseUrl}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
      });
      if (res.status !== 200) throw new Error(`login failed: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { token: string }).token;
    },
    async ingestStatus(token) {
      const res = await fetch(`${baseUrls[0]}/api/ingest/status`, { headers: { authorization: `Bearer ${token}` } });
      if (res.status !== 200) throw new Error(`ingest status: ${res.status}`);
      return (await res.json()) as IngestStatus;
    },
    async waitIdle(token, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const status = await cluster.ingestStatus(token).catch(() => null);
        if (status?.idle) return status;
        if (Date.now() > deadline) throw new Error(`ingest not idle after ${timeoutMs / 1000} s: ${JSON.stringify(status)}`);
        await sleep(200);
      }
    },
    async stop() {
      await Promise.all([...servers, ...workers].map((p) => p.stop()));
      if (!options.redis) await redis.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  try {
    await Promise.all(baseUrls.map((url) => waitForHttp(`${url}/api/health`)));
  } catch (err) {
    const logs = [...servers, ...workers].map((p) => p.output()).join('\n');
    await cluster.stop();
    throw new Error(`${(err as Error).message}\n${logs}`, { cause: err });
  }
  return cluster;
}
