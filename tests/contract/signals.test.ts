import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { redisAnswers } from '../../core/platform/embedded-redis.ts';
import { freePort } from '../support/redis-server.ts';
import { alive, killLeft, processTree, startCommand, waitFor } from '../support/process-tree.ts';

// What a service manager or a terminal does to `npm start`: the signal goes to the process it started
// (npm), or to its whole process group (Ctrl-C). Everything below it — the shell npm runs the script
// with, Node, the embedded redis-server — must stop, in order, and nothing be left.
const root = new URL('../..', import.meta.url).pathname;
const dirs: string[] = [];
let started: number[] = [];
afterEach(() => killLeft(started));
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function npmStart() {
  const dataDir = mkdtempSync(join(tmpdir(), 'pulse-signals-'));
  dirs.push(dataDir);
  const redisPort = await freePort();
  const proc = startCommand('npm', ['start'], {
    cwd: root,
    env: {
      PATH: process.env.PATH!,
      HOME: process.env.HOME ?? '/tmp',
      DATA_DIR: dataDir,
      PORT: '0',
      HOST: '127.0.0.1',
      REDIS_EMBEDDED_PORT: String(redisPort),
    },
  });
  await waitFor(() => /localhost:\d+/.test(proc.output()) || proc.child.exitCode !== null);
  expect(proc.output()).toMatch(/localhost:\d+/);
  const tree = processTree(proc.child.pid!);
  started = tree.map((p) => p.pid);
  return { proc, tree, redisUrl: `redis://127.0.0.1:${redisPort}` };
}

describe('signals to `npm start` (embedded Redis)', () => {
  it('SIGTERM to npm stops Node and its redis-server, in order, and leaves no process', async () => {
    const { proc, tree, redisUrl } = await npmStart();
    expect(tree.map((p) => p.command).join('\n')).toMatch(/redis-server/);
    expect(proc.output(), 'Node 26 runs the .ts sources with no warning').not.toMatch(/Warning|EBADENGINE/);
    expect(await redisAnswers(redisUrl)).toBe(true);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(tree.filter((p) => alive(p.pid))).toEqual([]);
    expect(proc.output()).toMatch(/shutting down[\s\S]*stopped cleanly/);
    expect(proc.output()).not.toMatch(/stopped unexpectedly/);
    expect(await redisAnswers(redisUrl)).toBe(false);
  });

  it('Ctrl-C (SIGINT to the whole process group) shuts down once, Redis last, and leaves no process', async () => {
    const { proc, tree } = await npmStart();

    process.kill(-proc.child.pid!, 'SIGINT');
    expect(await proc.exited).toEqual({ code: 0, signal: null });
    expect(tree.filter((p) => alive(p.pid))).toEqual([]);
    // Redis was not stopped under the workers' feet, and the signal npm forwards is not a "second" one.
    expect(proc.output()).not.toMatch(/stopped unexpectedly/);
    expect(proc.output()).not.toMatch(/second signal/);
    expect(proc.output()).toMatch(/stopped cleanly/);
  });
});
