/**
 * Container health checks (docker-compose.yml):
 *   `healthcheck.ts server` — GET /api/health on PORT answers and Redis is reachable;
 *   `healthcheck.ts worker` — a worker process on this host has beaten its heart in Redis recently.
 * Exit code 0 = healthy.
 */
import { hostname } from 'node:os';
import { loadConfig } from '../core/platform/config.ts';
import { openCliContext } from '../core/platform/cli.ts';
import { scanAll } from '../core/platform/redis.ts';

const config = loadConfig();
const role = process.argv[2];

async function check(): Promise<boolean> {
  if (role === 'server') {
    const res = await fetch(`http://127.0.0.1:${config.PORT}/api/health`, { signal: AbortSignal.timeout(3_000) });
    return res.ok && ((await res.json()) as { redis: { reachable: boolean } }).redis.reachable;
  }
  if (role === 'worker') {
    const { redis, keys, close } = await openCliContext(process.env, { name: 'pulse-healthcheck', readyTimeoutMs: 3_000 });
    try {
      const beats = await scanAll(redis, keys.workerHeartbeat(hostname(), '*'));
      return beats.length > 0;
    } finally {
      close();
    }
  }
  throw new Error('usage: healthcheck.ts server|worker');
}

check().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
