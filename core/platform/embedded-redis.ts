import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Redis } from 'ioredis';
import type { Logger } from './logger.ts';

export const DEFAULT_LOCAL_REDIS = 'redis://127.0.0.1:6379';

export const REDIS_INSTALL_HELP = [
  'Pulse needs Redis (7 or newer). Either set REDIS_URL to a running one, or install redis-server:',
  '  Debian/Ubuntu:  sudo apt-get install -y redis-server',
  '  macOS:          brew install redis',
  '  Docker:         docker compose up -d redis   (then REDIS_URL=redis://127.0.0.1:6379)',
].join('\n');

/** True when a Redis server answers PING at `url` within `timeoutMs`. */
export async function redisAnswers(url: string, timeoutMs = 500): Promise<boolean> {
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    enableOfflineQueue: false,
  });
  probe.on('error', () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

export interface EmbeddedRedis {
  url: string;
  stop(): Promise<void>;
}

/**
 * Redis settings for Pulse's data beside AOF and noeviction: a ledger entity's records (~150–500 bytes
 * each) are over Redis's default 64-byte listpack value, which made every entity a hash table. Kept as a
 * listpack up to 1,024 bytes a value, the ledger takes 28–32 % less memory and Redis ~10 % less CPU to
 * write it (bench/RESULTS.md, "apply path (issue 19)"). Day buckets (hundreds of fields) stay hash tables.
 */
export const REDIS_DATA_SETTINGS = ['--hash-max-listpack-value', '1024'] as const;

/**
 * Starts a private redis-server child: AOF on and fsynced before Redis answers (`appendfsync always`:
 * a 202 means the batch is on disk; Redis fsyncs once per event-loop pass, for every write of it),
 * noeviction (Pulse's data must never be evicted), ledger hashes kept compact (REDIS_DATA_SETTINGS),
 * data under `dataDir`, listening on loopback only. Rejects with install instructions when
 * redis-server is not installed.
 */
export async function startEmbeddedRedis(options: { dataDir: string; port: number; log: Logger }): Promise<EmbeddedRedis> {
  const dir = resolve(options.dataDir);
  mkdirSync(dir, { recursive: true });
  const child: ChildProcess = spawn(
    'redis-server',
    [
      '--port',
      String(options.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--appendfsync',
      'always',
      '--maxmemory-policy',
      'noeviction',
      '--save',
      '',
      ...REDIS_DATA_SETTINGS,
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ],
    // Its own process group: Ctrl-C in a terminal signals the whole foreground group, and Redis must
    // not stop before the workers and server that still write to it — stop() below ends it, last.
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  // Whatever ends this process (process.exit on a fatal error included) ends its Redis too; only a
  // SIGKILL of this process leaves it running, and the next start then finds it answering and uses it.
  const killOnExit = () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  };
  process.once('exit', killOnExit);
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const spawnError = new Promise<Error>((resolveErr) => child.once('error', resolveErr));

  const url = `redis://127.0.0.1:${options.port}`;
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const early = await Promise.race([
      spawnError.then((e) => e),
      exited.then((code) => new Error(`redis-server exited with code ${code}: ${output.join('').trim()}`)),
      new Promise<null>((r) => setTimeout(() => r(null), 100)),
    ]);
    if (early) {
      if ((early as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`redis-server is not installed.\n${REDIS_INSTALL_HELP}`);
      throw early;
    }
    if (await redisAnswers(url, 300)) {
      options.log.info({ url, dataDir: dir }, 'embedded redis-server started');
      let stopping = false;
      child.once('exit', (code, signal) => {
        if (!stopping) options.log.error({ code, signal }, 'embedded redis-server stopped unexpectedly');
      });
      return {
        url,
        async stop() {
          stopping = true;
          if (child.exitCode !== null) return;
          child.kill('SIGTERM'); // redis-server flushes the AOF and exits
          await exited;
          process.removeListener('exit', killOnExit);
        },
      };
    }
  }
  child.kill('SIGKILL');
  process.removeListener('exit', killOnExit);
  throw new Error(`redis-server did not answer within 10 s: ${output.join('').trim()}`);
}
