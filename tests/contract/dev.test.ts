import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { io } from 'socket.io-client';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { ADMIN_PASSWORD, INGEST_TOKEN, uniquePrefix } from '../support/app.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), 'pulse-dev-'));
let child: ChildProcess | undefined;

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

/** `npm run dev` as package.json says (`exec node …`: npm's signals reach Node itself). */
function devCommand(): string[] {
  const words = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { dev: string } }).scripts.dev.split(/\s+/);
  expect(words.slice(0, 2)).toEqual(['exec', 'node']);
  return words.slice(2);
}

describe('npm run dev', () => {
  it('serves the client from Vite and the API and live stream through it, and stops on SIGTERM', async () => {
    child = spawn(process.execPath, [...devCommand(), '--port', '0'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        PORT: '0',
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: uniquePrefix(),
        ADMIN_PASSWORD,
        INGEST_TOKEN,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    const base = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child!.stdout!.on('data', (c: Buffer) => {
        stdout += c.toString();
        const match = /Pulse dev: open (http:\/\/127\.0\.0\.1:\d+)\//.exec(stdout);
        if (match) resolve(match[1]!);
      });
      void exited.then((code) => reject(new Error(`npm run dev exited (${code}): ${stdout}${output}`)));
    });

    // The page comes from Vite's dev server (its client script), not from client/dist.
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('/@vite/client');
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', redis: { reachable: true } });

    // A browser on Vite's origin may log in (its origin is allowed) and open the live stream over WebSocket.
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: base },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    expect(login.status).toBe(200);
    const { token } = (await login.json()) as { token: string };
    const socket = io(`${base}/live`, { auth: { token }, transports: ['websocket'], reconnection: false, extraHeaders: { origin: base } });
    try {
      const snapshot = await new Promise<unknown>((resolve, reject) => {
        socket.once('snapshot', resolve);
        socket.once('connect_error', reject);
      });
      expect(snapshot).toBeTruthy();
    } finally {
      socket.disconnect();
    }

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }, 120_000);
});
