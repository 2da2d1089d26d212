import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { workerProcessCount } from '../../all-in-one/worker-processes.ts';
import { loadConfig } from '../../core/platform/config.ts';
import { uniquePrefix } from '../support/app.ts';
import { alive, killLeft, processTree, startCommand, waitFor } from '../support/process-tree.ts';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'pulse-workers-'));
const redis = new Redis(inject('redisUrl'));
const started: number[] = [];
afterAll(() => {
  killLeft(started);
  redis.disconnect();
  rmSync(dataDir, { recursive: true, force: true });
});

function npmStart(env: Record<string, string>) {
  const proc = startCommand(process.execPath, ['all-in-one/main.ts'], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', ...env },
  });
  started.push(proc.child.pid!);
  return proc;
}
const workerPids = (pid: number) =>
  processTree(pid)
    .filter((p) => p.pid !== pid && p.command.includes('workers/main.ts'))
    .map((p) => p.pid);

describe('WORKER_PROCESSES', () => {
  it('defaults to 0; auto follows the cores: one fewer than them, so one core keeps everything in one process', () => {
    expect(workerProcessCount(loadConfig({ WORKER_PROCESSES: '' }), 8)).toBe(0);
    const auto = loadConfig({ WORKER_PROCESSES: 'auto' });
    expect([1, 2, 4, 16].map((cores) => workerProcessCount(auto, cores))).toEqual([0, 1, 3, 15]);
    expect(workerProcessCount(loadConfig({ WORKER_PROCESSES: '0' }), 8)).toBe(0);
    expect(workerProcessCount(loadConfig({ WORKER_PROCESSES: '3' }), 1)).toBe(3);
    expect(() => loadConfig({ WORKER_PROCESSES: 'many' })).toThrow(
      /WORKER_PROCESSES must be auto or a whole number from 0 to 64 \(got "many"\)/,
    );
    expect(() => loadConfig({ WORKER_PROCESSES: '65' })).toThrow(/WORKER_PROCESSES must be auto/);
  });

  it('npm start runs that many worker processes, which apply batches and stop with it on SIGTERM', async () => {
    const prefix = uniquePrefix();
    const pulse = npmStart({ REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, WORKER_PROCESSES: '2' });
    await waitFor(() => /localhost:(\d+)/.test(pulse.output()), 30_000);
    await waitFor(() => workerPids(pulse.child.pid!).length === 2, 30_000);
    const pids = workerPids(pulse.child.pid!);
    started.push(...pids);
    // Each is a running worker: its heartbeat is in Redis under its own pid.
    await expect
      .poll(async () => (await redis.keys(`${prefix}:worker:*`)).sort(), { timeout: 30_000 })
      .toEqual(pids.map((pid) => `${prefix}:worker:${hostname()}:${pid}`).sort());

    // A batch is applied (by a worker process: npm start's own process runs none).
    const port = /localhost:(\d+)/.exec(pulse.output())![1];
    const ingestToken = /Ingest token[^:]*: (\S+)/.exec(pulse.output())![1];
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const res = await fetch(`http://127.0.0.1:${port}/api/ingest/hotline`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ingestToken}` },
      body: JSON.stringify({
        events: [{ ticketId: 'W-1', type: 'signed', at: new Date().toISOString(), street: '文艺路街道', category: '城市管理' }],
      }),
    });
    expect(res.status).toBe(202);
    const password = /admin password[^:]*: (\S+)/.exec(pulse.output())![1];
    const login = (await (
      await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'admin', password }),
      })
    ).json()) as { token: string };
    const status = async () =>
      (
        (await (
          await fetch(`http://127.0.0.1:${port}/api/ingest/status`, { headers: { authorization: `Bearer ${login.token}` } })
        ).json()) as {
          idle: boolean;
        }
      ).idle;
    await expect.poll(status, { timeout: 30_000 }).toBe(true);
    const applied = await fetch(`http://127.0.0.1:${port}/api/kpis?ids=hotline.signed&from=${day}&to=${day}`, {
      headers: { authorization: `Bearer ${login.token}` },
    });
    expect(JSON.stringify(await applied.json())).toMatch(/"hotline\.signed":\{"value":1\b/);

    pulse.child.kill('SIGTERM');
    expect((await pulse.exited).code).toBe(0);
    expect(pids.filter(alive)).toEqual([]);
    expect(await redis.keys(`${prefix}:worker:*`)).toEqual([]);
  });

  it('a worker process stops when npm start is killed outright', async () => {
    const pulse = npmStart({ REDIS_URL: inject('redisUrl'), REDIS_PREFIX: uniquePrefix(), WORKER_PROCESSES: '1' });
    await waitFor(() => /localhost:(\d+)/.test(pulse.output()), 30_000);
    await waitFor(() => workerPids(pulse.child.pid!).length === 1, 30_000);
    const pids = workerPids(pulse.child.pid!);
    started.push(...pids);
    pulse.child.kill('SIGKILL');
    await pulse.exited;
    await waitFor(() => pids.every((pid) => !alive(pid)), 30_000);
  });

  it('WORKER_PROCESSES=0 keeps the workers in npm start’s own process', async () => {
    const prefix = uniquePrefix();
    const pulse = npmStart({ REDIS_URL: inject('redisUrl'), REDIS_PREFIX: prefix, WORKER_PROCESSES: '0' });
    await waitFor(() => /localhost:(\d+)/.test(pulse.output()), 30_000);
    await expect
      .poll(() => redis.keys(`${prefix}:worker:*`), { timeout: 30_000 })
      .toEqual([`${prefix}:worker:${hostname()}:${pulse.child.pid}`]);
    expect(workerPids(pulse.child.pid!)).toEqual([]);
    pulse.child.kill('SIGTERM');
    expect((await pulse.exited).code).toBe(0);
  });
});
