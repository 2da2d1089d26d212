import { describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channelKey, channelNameOf, parseMessage } from '../../core/platform/channels.ts';
import { redisKeys } from '../../core/platform/redis-keys.ts';

const keys = redisKeys('pulse');

describe('the pub/sub channels', () => {
  it('maps each message kind to its Redis channel and back, and knows no other channel', () => {
    for (const name of CHANNEL_NAMES) expect(channelNameOf(keys, channelKey(keys, name))).toBe(name);
    expect(new Set(CHANNEL_NAMES.map((name) => channelKey(keys, name))).size).toBe(CHANNEL_NAMES.length);
    expect(channelNameOf(keys, 'pulse:socket.io#/live#')).toBeNull();
    expect(channelNameOf(redisKeys('other'), channelKey(keys, 'changed'))).toBeNull();
  });

  it('reads a changed message without days as "anything may have changed"', () => {
    expect(parseMessage('changed', '{"feed":"hotline","days":["2026-12-04"]}')).toEqual({ feed: 'hotline', days: ['2026-12-04'] });
    expect(parseMessage('changed', '{"feed":"all"}')).toEqual({ feed: 'all', days: [] });
    expect(parseMessage('changed', '{"feed":"hall","days":[20261204]}')).toEqual({ feed: 'hall', days: [] });
    expect(parseMessage('revoked', '{"kind":"user","username":"zhang"}')).toEqual({ kind: 'user', username: 'zhang' });
    expect(() => parseMessage('import', 'not json')).toThrow();
  });
});
