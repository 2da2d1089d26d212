/**
 * `npm run bench -- start`: how long a server process takes from spawn to `GET /api/health` answering,
 * on this Node with its own type stripping (`node server/main.ts`, as production runs it). To compare
 * with the tsx loader Pulse used before Node 26 (no longer a dependency), point START_TSX_LOADER at a tsx
 * install's `dist/loader.mjs`, and START_OLD_NODE at an older node binary to time that one with tsx too.
 * BENCH_REPEAT (default 7) runs of each, taken in turn. Writes the section "start" of bench/RESULTS.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { startTestRedis } from '../tests/support/redis-server.ts';
import { freePort } from '../core/platform/free-port.ts';
import { fmt, table, writeSection, type MeasuredRow } from './results.ts';

const root = new URL('..', import.meta.url).pathname;
const repeat = Number(process.env.BENCH_REPEAT ?? 7);
const loader = process.env.START_TSX_LOADER;
const oldNode = process.env.START_OLD_NODE;

interface Variant {
  label: string;
  node: string;
  args: string[];
}
const versionOf = (node: string) => spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
const variants: Variant[] = [{ label: `Node ${process.version}, type stripping`, node: process.execPath, args: [] }];
if (loader) variants.push({ label: `Node ${process.version}, tsx loader`, node: process.execPath, args: ['--import', loader] });
if (loader && oldNode)
  variants.push({ label: `Node ${versionOf(oldNode)}, tsx loader (before)`, node: oldNode, args: ['--import', loader] });

const redis = await startTestRedis();

/** Milliseconds from spawn to /api/health answering 200. */
async function startOnce(variant: Variant): Promise<number> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(variant.node, [...variant.args, 'server/main.ts'], {
    cwd: root,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      LOG_LEVEL: 'warn',
      REDIS_URL: redis.url,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${variant.label}: the server exited (${child.exitCode})`);
      try {
        if ((await fetch(`http://127.0.0.1:${port}/api/health`)).ok) return performance.now() - started;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

const rows: MeasuredRow[] = variants.map((v) => ({ label: v.label, unit: 'ms', values: [] }));
try {
  for (let run = 0; run < repeat; run++) {
    for (const [i, variant] of variants.entries()) {
      const ms = await startOnce(variant);
      rows[i]!.values.push(ms);
      console.log(`${variant.label}: ${fmt(ms)} ms`);
    }
  }
} finally {
  await redis.stop();
}
writeSection(
  'start',
  `Server start: \`server/main.ts\` spawned until \`GET /api/health\` answers 200 (polled every 10 ms), runs taken in turn.\n\n${table(rows)}`,
);
