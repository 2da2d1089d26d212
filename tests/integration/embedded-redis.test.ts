import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/platform/logger.ts';
import { redisAnswers, startEmbeddedRedis } from '../../core/platform/embedded-redis.ts';
import { freePort } from '../support/redis-server.ts';

const dataDir = mkdtempSync(join(tmpdir(), 'pulse-embedded-'));
const log = createLogger('silent', 'test');
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('embedded redis-server', () => {
  it('starts with AOF on, fsynced before it answers (nothing answered 202 lost at a power cut), and noeviction, keeps its data under the data dir, and stops', async () => {
    const embedded = await startEmbeddedRedis({ dataDir, port: await freePort(), log });
    const redis = new Redis(embedded.url);
    try {
      expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await redis.config('GET', 'appendfsync')).toEqual(['appendfsync', 'always']);
      expect(await redis.config('GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
      expect(await redis.config('GET', 'hash-max-listpack-value')).toEqual(['hash-max-listpack-value', '1024']);
      expect(await redis.config('GET', 'dir')).toEqual(['dir', dataDir]);
      await redis.set('kept', '1');
    } finally {
      redis.disconnect();
    }
    await embedded.stop();
    expect(await redisAnswers(embedded.url)).toBe(false);
    expect(existsSync(join(dataDir, 'appendonlydir'))).toBe(true);

    // A restart on the same directory finds the data again.
    const again = await startEmbeddedRedis({ dataDir, port: await freePort(), log });
    const reopened = new Redis(again.url);
    try {
      expect(await reopened.get('kept')).toBe('1');
    } finally {
      reopened.disconnect();
      await again.stop();
    }
  });

  it('says how to install redis-server when it is missing', async () => {
    const path = process.env.PATH;
    process.env.PATH = dataDir; // a directory without redis-server
    try {
      await expect(startEmbeddedRedis({ dataDir, port: await freePort(), log })).rejects.toThrow(
        /redis-server is not installed[\s\S]*apt-get install -y redis-server[\s\S]*brew install redis[\s\S]*docker compose up -d redis/,
      );
    } finally {
      process.env.PATH = path;
    }
  });
});
