import { describe, expect, it } from 'vitest';
import { FEED_NAMES } from '../../shared/feeds/feed.ts';
import { DEFAULT_SETTINGS } from '../../shared/settings.ts';
import { applierOf } from '../../core/feeds/index.ts';

// planEntity skips the applier for a new entity's contribution before its first record
// (core/ingest/entity-plan.ts): sound only while an entity holding no records counts nothing anywhere.
describe('an entity holding no records', () => {
  it.each(FEED_NAMES)('%s: contributes no entry and no live-set member', (feed) => {
    const contribution = applierOf(feed).contribution('any-entity', new Map(), { settings: DEFAULT_SETTINGS, tz: 'Asia/Shanghai' });
    expect(contribution.entries).toEqual([]);
    expect(contribution.members ?? []).toEqual([]);
  });
});
