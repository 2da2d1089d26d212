import { readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The docs name files by path; a move (issue #15) must not leave them pointing at nothing.
const ROOT = new URL('../..', import.meta.url).pathname;
const SKIPPED = new Set(['node_modules', '.git', 'data', 'dist', 'exports', 'test-results']);
/** Made by `npm run build`, not kept in the repository. */
const BUILT = new Set(['client/dist']);
/** The team's contracts, in the `spec/` folder beside the repository (README names them bare). */
const SPEC = new Set(['FEEDS.md', 'KPIS.md', 'API.md', 'REPORT.md', 'GLOSSARY.md', 'ANALYTICS.md']);

function walk(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name) || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      out.push(`${relative(ROOT, path)}/`);
      walk(path, out);
    } else out.push(relative(ROOT, path));
  }
  return out;
}
const files = walk(ROOT);
const names = new Set(files.map((f) => basename(f)));
const rooms = new Set(files.filter((f) => f.endsWith('/') && !f.slice(0, -1).includes('/')).map((f) => f.slice(0, -1)));

/** `*` matches within one folder; a trailing `/` names a folder. */
const exists = (path: string) => {
  const pattern = new RegExp(`^${path.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}/?$`);
  return files.some((f) => pattern.test(f));
};

/** The paths a document names: backticked file or folder names, and any `*.lua` (the diagram names scripts bare). */
function namedPaths(text: string): string[] {
  const paths = new Set<string>();
  for (const [, token] of text.matchAll(/`([^`\s]+)`/g)) {
    if (!/\/|\.(ts|vue|lua|md|json|yml|mjs)$/.test(token!)) continue;
    // URLs, API routes, runtime paths (./data), placeholders (<feed>), keys (a:b) are not repository paths.
    if (/:|^\/|^\.\/|<|\{/.test(token!)) continue;
    if (token!.includes('/') && !rooms.has(token!.split('/')[0]!)) continue;
    paths.add(token!);
  }
  for (const [name] of text.matchAll(/[\w-]+\.lua\b/g)) paths.add(name);
  return [...paths];
}

describe('the docs name files that exist', () => {
  const docs = [
    'README.md',
    ...readdirSync(join(ROOT, 'docs'))
      .filter((f) => f.endsWith('.md'))
      .map((f) => `docs/${f}`),
  ];
  it.each(docs)('%s', (doc) => {
    const missing = namedPaths(readFileSync(join(ROOT, doc), 'utf8')).filter((p) =>
      p.includes('/') ? !exists(p) && !BUILT.has(p) : !names.has(p) && !SPEC.has(p),
    );
    expect(missing).toEqual([]);
  });
});
