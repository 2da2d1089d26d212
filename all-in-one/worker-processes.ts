import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Config } from '../core/platform/config.ts';
import type { Logger } from '../core/platform/logger.ts';

const WORKER_ENTRY = fileURLToPath(new URL('../workers/main.ts', import.meta.url));
/** A worker process that ended on its own is started again after this long. */
const RESTART_AFTER_MS = 1_000;

/**
 * How many worker processes `npm start` runs beside its own: WORKER_PROCESSES (default 0: the workers in its own
 * process), or with `auto` one fewer than the cores (the first core is the server's and Redis's), so a 1-core
 * machine keeps everything in one process.
 */
export function workerProcessCount(config: Pick<Config, 'WORKER_PROCESSES'>, cores = availableParallelism()): number {
  return config.WORKER_PROCESSES === 'auto' ? Math.max(0, cores - 1) : config.WORKER_PROCESSES;
}

export interface WorkerProcesses {
  pids(): number[];
  /** SIGTERM to each (they finish their batches and stop in order), then waits until every one has exited. */
  close(): Promise<void>;
}

/**
 * Starts `count` worker processes (`workers/main.ts`, as `npm run start:worker` runs it) against `redisUrl`, with
 * this process's environment; their output goes where this process's goes. One that exits while `npm start` runs
 * is logged and started again.
 */
export function startWorkerProcesses(count: number, redisUrl: string, log: Logger): WorkerProcesses {
  let stopping = false;
  const children: (ChildProcess | null)[] = Array.from({ length: count }, () => null);
  const exits = new Map<ChildProcess, Promise<void>>();
  const restarts = new Set<ReturnType<typeof setTimeout>>();

  const start = (slot: number) => {
    const child = spawn(process.execPath, [WORKER_ENTRY], {
      env: { ...process.env, REDIS_URL: redisUrl },
      // The IPC channel carries nothing: its closing tells the worker that npm start has gone (workers/main.ts).
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    children[slot] = child;
    exits.set(
      child,
      new Promise((resolve) =>
        child.once('exit', (code, signal) => {
          exits.delete(child);
          resolve();
          if (stopping) return;
          log.error({ pid: child.pid, code, signal }, 'a worker process ended; starting it again');
          const timer = setTimeout(() => {
            restarts.delete(timer);
            if (!stopping) start(slot);
          }, RESTART_AFTER_MS);
          restarts.add(timer);
        }),
      ),
    );
  };
  for (let slot = 0; slot < count; slot++) start(slot);
  if (count > 0) log.info({ count, pids: children.map((c) => c?.pid) }, 'worker processes started');

  return {
    pids: () => children.flatMap((c) => (c?.pid !== undefined && c.exitCode === null ? [c.pid] : [])),
    async close() {
      stopping = true;
      for (const timer of restarts) clearTimeout(timer);
      for (const [child] of exits) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await Promise.all(exits.values());
    },
  };
}
