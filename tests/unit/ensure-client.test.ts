import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { clientState } from '../../scripts/ensure-client.ts';

const root = mkdtempSync(join(tmpdir(), 'pulse-ensure-client-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function file(path: string, secondsAgo: number): void {
  const full = join(root, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, 'x');
  const when = new Date(Date.now() - secondsAgo * 1000);
  utimesSync(full, when, when);
}

describe('prestart builds the client only when it is missing or older than its sources', () => {
  it('missing, fresh, stale by a client or a shared file', () => {
    file('client/src/App.vue', 300);
    file('shared/kpis.ts', 300);
    expect(clientState(root)).toBe('missing');

    file('client/dist/index.html', 200);
    file('client/dist/assets/app.js', 10); // the build's own output never makes it stale
    expect(clientState(root)).toBe('fresh');

    file('shared/kpis.ts', 100);
    expect(clientState(root)).toBe('stale');
    file('client/dist/index.html', 50);
    expect(clientState(root)).toBe('fresh');
    file('client/src/views/Wall.vue', 20);
    expect(clientState(root)).toBe('stale');
  });

  it('is what npm start and npm run demo run before starting, not a build every time', () => {
    const { scripts } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts.prestart).toBe('node scripts/ensure-client.ts');
    expect(scripts.predemo).toBe('node scripts/ensure-client.ts');
  });
});
