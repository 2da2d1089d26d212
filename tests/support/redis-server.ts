import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_DATA_SETTINGS, redisAnswers } from '../../core/platform/embedded-redis.ts';
import { freePort } from '../../core/platform/free-port.ts';

export { freePort };

export const REDIS_MISSING =
  'redis-server is not installed, and the tests run against a real one. Install it: ' +
  'sudo apt-get install -y redis-server (Debian/Ubuntu) or brew install redis (macOS).';

export interface TestRedis {
  url: string;
  port: number;
  process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts a throw-away redis-server on a free port (no persistence unless `appendonly`; its AOF fsynced
 * every second unless `appendfsync: 'always'`, as Pulse deploys it — tests need no power-cut safety), for tests.
 */
export async function startTestRedis(
  options: { appendonly?: boolean; appendfsync?: 'always' | 'everysec'; port?: number; dir?: string } = {},
): Promise<TestRedis> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  const port = options.port ?? (await freePort());
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'pulse-test-redis-'));
  const child = spawn(
    'redis-server',
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      dir,
      '--save',
      '',
      '--appendonly',
      options.appendonly ? 'yes' : 'no',
      '--appendfsync',
      options.appendfsync ?? 'everysec',
      '--maxmemory-policy',
      'noeviction',
      ...REDIS_DATA_SETTINGS,
    ],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = `redis://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  while (!(await redisAnswers(url, 200))) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    port,
    process: child,
    async stop() {
      if (child.exitCode === null) child.kill('SIGKILL');
      await exited;
      if (!options.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
}
