import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { uniquePrefix } from '../support/app.ts';

const root = new URL('../..', import.meta.url).pathname;
const dataDir = mkdtempSync(join(tmpdir(), 'pulse-proc-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs an entry point as `npm start` does, collecting its output. */
function run(entry: string, env: Record<string, string>) {
  const child = spawn(process.execPath, [entry], {
    cwd: root,
    env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/tmp', DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

async function waitFor(predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('process entry points', () => {
  it('stops at start on a bad configuration value, naming it', async () => {
    const proc = run('all-in-one/main.ts', { PORT: 'eighty', TZ_REPORT: 'Mars/Olympus' });
    expect(await proc.exited).toBe(1);
    expect(proc.output()).toMatch(
      /Invalid configuration:\n {2}- PORT must be a whole number from 0 to 65535 \(got "eighty"\)\n {2}- TZ_REPORT is not a known IANA time zone/,
    );
  });

  it('npm start serves, prints the generated admin password once, and shuts down in order on SIGTERM', async () => {
    const env = { REDIS_URL: inject('redisUrl'), REDIS_PREFIX: uniquePrefix(), PORT: '0', HOST: '127.0.0.1' };
    const first = run('all-in-one/main.ts', env);
    await waitFor(() => /localhost:(\d+)/.test(first.output()));
    const port = /localhost:(\d+)/.exec(first.output())![1];
    const password = /admin password[^:]*: (\S+)/.exec(first.output())?.[1];
    expect(password).toBeDefined();
    expect(first.output()).toMatch(/Ingest token[^:]*: \S+/);

    const login = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password }),
    });
    expect(login.status).toBe(200);

    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);
    expect(first.output()).toMatch(/shutting down[\s\S]*stopped cleanly/);

    // Second start on the same Redis: the password is not generated or printed again.
    const second = run('all-in-one/main.ts', env);
    await waitFor(() => /localhost:\d+/.test(second.output()));
    expect(second.output()).not.toMatch(/admin password/);
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });
});
