/**
 * `prestart` / `predemo`: the console and wall (client/dist) are built only when they are missing or
 * older than their sources — not on every start. A production install (NODE_ENV=production, or no
 * vite: `npm ci --omit=dev`) never builds; it needs the client built beforehand (`npm run build`, as
 * the Docker image does at build time) and stops with one line saying so when it is missing.
 *
 *   node scripts/ensure-client.ts [--help]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseCli } from '../core/platform/cli.ts';

const USAGE =
  'usage: node scripts/ensure-client.ts — builds client/dist when it is missing or older than client/ and shared/ (npm start and npm run demo run it first)';

/** What the client's bundle is built from: client/ (but its dist/) and shared/. */
const SOURCES = ['client', 'shared'];

export type ClientState = 'missing' | 'stale' | 'fresh';

/** Newest modification time (ms) of the files under `dir`, skipping `skip` (absolute paths). */
function newestUnder(dir: string, skip: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (path === skip || entry.name === 'node_modules') continue;
    const time = entry.isDirectory() ? newestUnder(path, skip) : statSync(path).mtimeMs;
    if (time > newest) newest = time;
  }
  return newest;
}

/** Whether `root`'s client/dist is missing, older than a source file, or up to date. */
export function clientState(root: string): ClientState {
  const dist = join(root, 'client', 'dist');
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return 'missing';
  const built = statSync(index).mtimeMs;
  const newestSource = Math.max(...SOURCES.map((dir) => (existsSync(join(root, dir)) ? newestUnder(join(root, dir), dist) : 0)));
  return newestSource > built ? 'stale' : 'fresh';
}

/** True when vite (a dev dependency) is installed under `root`. */
function viteInstalled(root: string): boolean {
  try {
    createRequire(join(root, 'package.json')).resolve('vite/package.json');
    return true;
  } catch {
    return false;
  }
}

function main(): number {
  parseCli({ command: 'node scripts/ensure-client.ts', usage: USAGE, options: {} });
  const root = fileURLToPath(new URL('..', import.meta.url));
  const state = clientState(root);
  if (state === 'fresh') return 0;
  const production = process.env.NODE_ENV === 'production' || !viteInstalled(root);
  if (production) {
    if (state === 'stale') return 0; // a production install serves what was built for it
    process.stderr.write('client/dist is missing: run `npm run build` (needs the dev dependencies) before `npm start`\n');
    return 1;
  }
  process.stdout.write(`client/dist is ${state}: building it (npm run build)\n`);
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
  return build.status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = main();
