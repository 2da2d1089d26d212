import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import direction of ARCHITECTURE.md (shared ← core ← {server, workers} ← all-in-one; client → shared;
 * scripts → core, shared) is enforced by eslint.config.js. These small files, linted in memory as if they
 * lay in each room, prove the rule bites: remove or loosen a room's `no-restricted-imports` block and the
 * test fails.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** Messages of `no-restricted-imports` for `code` linted as the repository file `path`. */
async function boundaryErrors(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}/${path}` });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => `${m.line}: ${m.message}`);
}

describe('import boundaries (eslint.config.js)', () => {
  it('refuses an import of the other shell, or of a shell from core/', async () => {
    expect(await boundaryErrors('server/x.ts', "import { startWorker } from '../workers/main.ts';\nstartWorker();\n")).toEqual([
      expect.stringMatching(/^1: .*server\/ is a thin shell over core\/: it never imports workers\//),
    ]);
    expect(
      await boundaryErrors(
        'workers/x.ts',
        "import type { RunningServer } from '../server/server-process.ts';\nexport type S = RunningServer;\n",
      ),
    ).toEqual([expect.stringMatching(/^1: .*workers\/ is a thin shell over core\/: it never imports server\//)]);
    expect(await boundaryErrors('core/services/x.ts', "import { createApp } from '../../server/app.ts';\nexport { createApp };\n")).toEqual(
      [expect.stringMatching(/^1: .*core\/ is driven by the shells/)],
    );
    expect(await boundaryErrors('core/x.ts', "export { startAllInOne } from '../all-in-one/all-in-one.ts';\n")).toHaveLength(1);
  });

  it('keeps routes away from Redis: they ask a core service', async () => {
    expect(await boundaryErrors('server/routes/x.ts', "import type { Redis } from 'ioredis';\nexport type R = Redis;\n")).toEqual([
      expect.stringMatching(/^1: .*Routes never talk to Redis/),
    ]);
    expect(
      await boundaryErrors('server/routes/x.ts', "import { startWorker } from '../../workers/main.ts';\nstartWorker();\n"),
    ).toHaveLength(1);
  });

  it('keeps shared/ and the client free of Node-only code, and scripts/ out of the shells', async () => {
    expect(
      await boundaryErrors(
        'shared/x.ts',
        "import { readFileSync } from 'node:fs';\nimport { loadConfig } from '../core/platform/config.ts';\nexport { readFileSync, loadConfig };\n",
      ),
    ).toHaveLength(2);
    expect(
      await boundaryErrors(
        'client/src/x.ts',
        "import type { FeedHealthResponse } from '../../core/connectors/config.ts';\nexport type R = FeedHealthResponse;\n",
      ),
    ).toHaveLength(1);
    expect(await boundaryErrors('scripts/x.ts', "import { printOnce } from '../server/banner.ts';\nexport { printOnce };\n")).toHaveLength(
      1,
    );
  });

  it('lets each room import what it may', async () => {
    expect(
      await boundaryErrors(
        'server/x.ts',
        "import { loadConfig } from '../core/platform/config.ts';\nimport { FEED_NAMES } from '../shared/feeds/feed.ts';\nexport { loadConfig, FEED_NAMES };\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'all-in-one/x.ts',
        "import { startWorker } from '../workers/worker-process.ts';\nimport { startServer } from '../server/server-process.ts';\nexport { startWorker, startServer };\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors(
        'client/src/x.ts',
        "import type { FeedHealthResponse } from '@shared/api-types.ts';\nexport type R = FeedHealthResponse;\n",
      ),
    ).toEqual([]);
    expect(
      await boundaryErrors('scripts/x.ts', "import { startAllInOne } from '../all-in-one/all-in-one.ts';\nexport { startAllInOne };\n"),
    ).toEqual([]);
  });
});
