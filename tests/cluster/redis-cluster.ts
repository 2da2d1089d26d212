import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { redisAnswers } from '../../core/platform/embedded-redis.ts';
import { freePort, REDIS_MISSING } from '../support/redis-server.ts';

export interface TestCluster {
  /** `redis-cluster://127.0.0.1:<port>,…` — what REDIS_URL takes. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

/**
 * Starts `masters` local `redis-server --cluster-enabled yes` processes on free ports and joins them
 * with `redis-cli --cluster create … --cluster-replicas 0`, each master holding a third of the slots.
 * Resolves once every slot is served (`cluster_state:ok` on every node).
 */
export async function startTestCluster(masters = 3): Promise<TestCluster> {
  if (spawnSync('redis-server', ['--version']).error) throw new Error(REDIS_MISSING);
  const dir = mkdtempSync(join(tmpdir(), 'pulse-test-cluster-'));
  const ports: number[] = [];
  const children: ChildProcess[] = [];
  const exits: Promise<void>[] = [];
  const stop = async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(exits);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      ports.push(port);
      const child = spawn(
        'redis-server',
        [
          '--port',
          String(port),
          '--bind',
          '127.0.0.1',
          '--dir',
          dir,
          '--cluster-enabled',
          'yes',
          '--cluster-config-file',
          `nodes-${port}.conf`,
          '--save',
          '',
          '--appendonly',
          'no',
          '--maxmemory-policy',
          'noeviction',
        ],
        { stdio: 'ignore' },
      );
      children.push(child);
      exits.push(new Promise<void>((resolve) => child.once('exit', () => resolve())));
    }
    for (const port of ports) {
      const deadline = Date.now() + 10_000;
      while (!(await redisAnswers(`redis://127.0.0.1:${port}`, 200))) {
        if (Date.now() > deadline) throw new Error(`cluster node on port ${port} did not start`);
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    const create = spawnSync(
      'redis-cli',
      ['--cluster', 'create', ...ports.map((p) => `127.0.0.1:${p}`), '--cluster-replicas', '0', '--cluster-yes'],
      { encoding: 'utf8' },
    );
    if (create.status !== 0) throw new Error(`redis-cli --cluster create failed: ${create.stdout}${create.stderr}`);
    const deadline = Date.now() + 20_000;
    for (const port of ports) {
      for (;;) {
        const info = spawnSync('redis-cli', ['-p', String(port), 'cluster', 'info'], { encoding: 'utf8' }).stdout;
        if (/cluster_state:ok/.test(info) && /cluster_known_nodes:(\d+)/.exec(info)?.[1] === String(masters)) break;
        if (Date.now() > deadline) throw new Error(`cluster did not reach cluster_state:ok on port ${port}: ${info}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: `redis-cluster://${ports.map((p) => `127.0.0.1:${p}`).join(',')}`, ports, stop };
}
