import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildContext, parseDockerfile, removeLater, replayStages, type Replayed, type Stage } from '../support/dockerfile.ts';
import { alive, killLeft, processTree, startCommand, waitFor } from '../support/process-tree.ts';
import { freePort } from '../support/redis-server.ts';
import { uniquePrefix } from '../support/app.ts';

// No Docker engine runs on the build machines: this reads the Dockerfile itself, replays its stages'
// COPY and RUN steps in a temporary folder (npm ci against the registry, the client build), and checks
// what the runtime stage would hold — then runs its CMD and HEALTHCHECK there and stops it with SIGTERM.
const root = new URL('../..', import.meta.url).pathname;
const stages: Stage[] = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const runtime = stages.at(-1)!;
const work = mkdtempSync(join(tmpdir(), 'pulse-image-'));
let replayed: Replayed;
let app: string;
let started: number[] = [];
afterEach(() => killLeft(started));
afterAll(() => removeLater(work));

const step = (stage: Stage, op: string) => stage.steps.filter((s) => s.op === op);
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };

describe('Dockerfile', () => {
  it('is multi-stage on one pinned Node 26 bookworm-slim, the current LTS of .nvmrc', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const major = readFileSync(join(root, '.nvmrc'), 'utf8').trim();
    for (const stage of stages) expect(stage.from).toMatch(new RegExp(`^node:${major}\\.\\d+\\.\\d+-bookworm-slim$`));
    expect(new Set(stages.map((s) => s.from)).size).toBe(1);
  });

  it('copies patches/ before every npm ci, so patch-package applies them', () => {
    for (const stage of stages) {
      const ci = stage.steps.findIndex((s) => s.op === 'RUN' && /\bnpm ci\b/.test(s.args));
      if (ci < 0) continue;
      const patches = stage.steps.findIndex((s) => s.op === 'COPY' && /(^|\s)(\.\/)?patches\/?(\s|$)/.test(s.args));
      expect(patches, `stage ${stage.name} copies patches/`).toBeGreaterThanOrEqual(0);
      expect(patches, `stage ${stage.name}: patches/ before npm ci`).toBeLessThan(ci);
    }
  });

  it('runs as a non-root user, with node itself as CMD and HEALTHCHECK (no npm, no loader)', () => {
    const user = step(runtime, 'USER').at(-1)?.args;
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const cmd = step(runtime, 'CMD').at(-1)!.exec!;
    expect(cmd[0]).toBe('node');
    expect(cmd.join(' ')).not.toMatch(/npm|tsx|--import/);
    const health = step(runtime, 'HEALTHCHECK').at(-1)!;
    expect(health.args).toMatch(/\bCMD \[/);
    expect(health.exec![0]).toBe('node');
    expect(health.exec!.join(' ')).not.toMatch(/npm|tsx|--import/);
    expect(
      step(runtime, 'RUN')
        .map((s) => s.args)
        .join('\n'),
    ).not.toMatch(/npm (ci|install|run)/);
  });

  describe('replayed', () => {
    beforeAll(() => {
      const context = join(work, 'context');
      buildContext(root, context);
      // The image's user does not exist on this machine: chown only checks that its paths exist.
      const shims = join(work, 'shims');
      mkdirSync(shims);
      writeFileSync(join(shims, 'chown'), '#!/bin/sh\nshift\nfor p in "$@"; do [ -e "$p" ] || exit 1; done\n');
      chmodSync(join(shims, 'chown'), 0o755);
      const env = { PATH: `${shims}:${process.env.PATH!}`, HOME: process.env.HOME ?? '/tmp', npm_config_prefer_offline: 'true' };
      replayed = replayStages(stages, context, join(work, 'stages'), env);
      app = join(replayed.roots.get(runtime.name)!, replayed.workdir.get(runtime.name)!);
    }, 600_000);

    it('installs on Node 26 with no engine warning', () => {
      expect(replayed.output).toMatch(/\$ npm ci/);
      expect(replayed.output).not.toMatch(/EBADENGINE/);
    });

    it('ships the patched exceljs (a character split across two read chunks stays whole)', () => {
      const parseSax = readFileSync(join(app, 'node_modules/exceljs/lib/utils/parse-sax.js'), 'utf8');
      expect(parseSax).toMatch(/new StringDecoder\('utf8'\)/);
    });

    it('ships the client built at image build time, and no client sources', () => {
      expect(existsSync(join(app, 'client/dist/index.html'))).toBe(true);
      expect(existsSync(join(app, 'client/src'))).toBe(false);
    });

    it('ships production dependencies only', () => {
      const devOnly = Object.entries(lock.packages)
        .filter(([path, meta]) => path.startsWith('node_modules/') && meta.dev)
        .map(([path]) => path);
      expect(devOnly.length).toBeGreaterThan(50);
      expect(devOnly.filter((path) => existsSync(join(app, path)))).toEqual([]);
      for (const name of ['vite', 'typescript', 'vitest', 'tsx']) expect(existsSync(join(app, 'node_modules', name)), name).toBe(false);
      expect(existsSync(join(app, 'node_modules/patch-package'))).toBe(true);
    });

    it('its CMD serves, its HEALTHCHECK passes, and SIGTERM to it stops it and leaves nothing', async () => {
      const port = String(await freePort());
      const env = {
        PATH: process.env.PATH!,
        HOME: process.env.HOME ?? '/tmp',
        ...replayed.env.get(runtime.name),
        DATA_DIR: join(app, 'data'),
        CONNECTORS_FILE: join(app, 'config/connectors.json'),
        REDIS_URL: inject('redisUrl'),
        REDIS_PREFIX: uniquePrefix(),
        PORT: port,
        HOST: '127.0.0.1',
        ADMIN_PASSWORD: 'Image-test-9147',
        INGEST_TOKEN: 'image-test-ingest-token-0001',
      };
      const [command, ...args] = step(runtime, 'CMD').at(-1)!.exec!;
      const proc = startCommand(command!, args, { cwd: app, env });
      await waitFor(() => /server listening/.test(proc.output()) || proc.child.exitCode !== null);
      expect(proc.output()).toMatch(/server listening/);
      const tree = processTree(proc.child.pid!);
      started = tree.map((p) => p.pid);
      expect(proc.output()).not.toMatch(/Warning|EBADENGINE/);

      const [healthCommand, ...healthArgs] = step(runtime, 'HEALTHCHECK').at(-1)!.exec!;
      const health = startCommand(healthCommand!, healthArgs, { cwd: app, env });
      expect((await health.exited).code, health.output()).toBe(0);

      proc.child.kill('SIGTERM');
      expect(await proc.exited).toEqual({ code: 0, signal: null });
      expect(tree.filter((p) => alive(p.pid))).toEqual([]);
      expect(proc.output()).toMatch(/shutting down[\s\S]*stopped cleanly/);
    }, 120_000);
  });
});
