import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/platform/config.ts';
import { isClusterUrl, parseClusterUrl } from '../../core/platform/redis.ts';

describe('REDIS_URL for a Redis Cluster', () => {
  it('takes redis-cluster:// with the seed masters, and credentials', () => {
    expect(loadConfig({ REDIS_URL: 'redis-cluster://10.0.0.1:7000,10.0.0.2:7000' }).REDIS_URL).toBe(
      'redis-cluster://10.0.0.1:7000,10.0.0.2:7000',
    );
    expect(parseClusterUrl('redis-cluster://pulse:s%40cret@redis-a:6379,redis-b:6380/')).toEqual({
      nodes: [
        { host: 'redis-a', port: 6379 },
        { host: 'redis-b', port: 6380 },
      ],
      username: 'pulse',
      password: 's@cret',
    });
    expect(parseClusterUrl('redis-cluster://:only-password@[::1]:7000')).toEqual({
      nodes: [{ host: '::1', port: 7000 }],
      password: 'only-password',
    });
    expect(isClusterUrl('redis://127.0.0.1:6379')).toBe(false);
  });

  it.each([
    ['redis-cluster://', 'names no node'],
    ['redis-cluster://10.0.0.1', '"10.0.0.1" is not host:port'],
    ['redis-cluster://10.0.0.1:7000,10.0.0.2:99999', '"10.0.0.2:99999" is not host:port'],
  ])('refuses %s, saying why', (url, reason) => {
    expect(() => loadConfig({ REDIS_URL: url })).toThrow(ConfigError);
    try {
      loadConfig({ REDIS_URL: url });
    } catch (err) {
      expect((err as ConfigError).problems.join('\n')).toContain(reason);
    }
  });

  it('still refuses other schemes', () => {
    expect(() => loadConfig({ REDIS_URL: 'http://127.0.0.1:6379' })).toThrow(/must be a redis:\/\/, rediss:\/\/ or redis-cluster:\/\/ URL/);
  });
});
