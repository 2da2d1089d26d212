import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../core/platform/config.ts';

describe('configuration', () => {
  it('has a default for everything that is not a secret', () => {
    const c = loadConfig({});
    expect(c).toMatchObject({ PORT: 3000, TZ_REPORT: 'Asia/Shanghai', REDIS_PREFIX: 'pulse', INGEST_HMAC_SECRETS: [] });
    expect(c.REDIS_URL).toBeUndefined();
  });

  it('names every bad variable at once, without echoing secrets', () => {
    let error: unknown;
    try {
      loadConfig({ PORT: 'eighty', TZ_REPORT: 'Mars/Olympus', REDIS_URL: 'localhost:6379', INGEST_TOKEN: 'short' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems;
    expect(problems).toHaveLength(4);
    expect(problems.join('\n')).toMatch(/^PORT .*"eighty"/m);
    expect(problems.join('\n')).toMatch(/^TZ_REPORT is not a known IANA time zone/m);
    expect(problems.join('\n')).toMatch(/^REDIS_URL must be a redis:\/\/, rediss:\/\/ or redis-cluster:\/\/ URL/m);
    expect(problems.join('\n')).toMatch(/^INGEST_TOKEN must be at least 16 characters$/m);
    expect((error as Error).message).not.toContain('short');
  });

  it('reads the plausible window of record times, refusing a bad day or hour count', () => {
    expect(loadConfig({})).toMatchObject({ INGEST_EARLIEST_DAY: '2000-01-01', INGEST_MAX_AHEAD_HOURS: 24 });
    expect(loadConfig({ INGEST_EARLIEST_DAY: '2020-01-01', INGEST_MAX_AHEAD_HOURS: '0' })).toMatchObject({
      INGEST_EARLIEST_DAY: '2020-01-01',
      INGEST_MAX_AHEAD_HOURS: 0,
    });
    expect(() => loadConfig({ INGEST_EARLIEST_DAY: '2020-02-30', INGEST_MAX_AHEAD_HOURS: '-1' })).toThrow(
      /INGEST_EARLIEST_DAY must be a calendar day YYYY-MM-DD \(got "2020-02-30"\)\n.*INGEST_MAX_AHEAD_HOURS must be a whole number from 0 to 8760/,
    );
  });

  it('requires ADMIN_PASSWORD in production', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(/ADMIN_PASSWORD is required when NODE_ENV=production/);
    expect(loadConfig({ NODE_ENV: 'production', ADMIN_PASSWORD: 'long-enough' }).NODE_ENV).toBe('production');
    // Held to the console's password policy: it names the rule, never the password.
    expect(() => loadConfig({ ADMIN_PASSWORD: 'admin2024pw' })).toThrow(/^ {2}- ADMIN_PASSWORD 密码不能包含用户名/m);
    expect(() => loadConfig({ ADMIN_PASSWORD: '1qaz2wsx3edc' })).toThrow(/ADMIN_PASSWORD 密码是常见密码之一/);
  });

  it('applies the minimum length of INGEST_HMAC_SECRET to each comma-separated secret, without echoing it', () => {
    let error: unknown;
    try {
      loadConfig({ INGEST_HMAC_SECRET: 'old-secret-0123456789,short-one' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/INGEST_HMAC_SECRET.*16 characters/);
    expect((error as ConfigError).message).not.toContain('short-one');
  });

  it('splits HMAC secrets for rotation', () => {
    expect(loadConfig({ INGEST_HMAC_SECRET: 'old-secret-0123456789, new-secret-0123456789' }).INGEST_HMAC_SECRETS).toEqual([
      'old-secret-0123456789',
      'new-secret-0123456789',
    ]);
  });
});
