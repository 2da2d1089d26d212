/**
 * Container health checks (docker-compose.yml):
 *   `healthcheck.ts server` — GET /api/health on PORT answers and Redis is reachable;
 *   `healthcheck.ts worker` — a worker process on this host has beaten its heart in Redis recently.
 * Exit code 0 = healthy.
 */
import { hostname } from 'node:os';
import { loadConfig } from '../core/platform/config.ts';
import { cliUsageError, openCliContext, parseCli } from '../core/platform/cli.ts';
import { scanAll } from '../core/platform/redis.ts';

const USAGE = `usage: npm run health:server     (node scripts/healthcheck.ts server)
       npm run health:worker     (node scripts/healthcheck.ts worker)

  server   GET /api/health on 127.0.0.1:PORT answers and Redis is reachable
  worker   a worker process on this host has beaten its heart in Redis within 30 s

Exit code 0 when healthy, 1 when not (the container health checks of docker-compose.yml).`;
const role = parseCli({ command: 'node scripts/healthcheck.ts', usage: USAGE, options: {}, positionals: { min: 1, max: 1 } })
  .positionals[0];
if (role !== 'server' && role !== 'worker') cliUsageError('node scripts/healthcheck.ts', `unknown role '${role}': server or worker`);
const config = loadConfig();

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
  return false;
}

check().then(
  (ok) => process.exit(ok ? 0 : 1),
  (err: Error) => {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  },
);
