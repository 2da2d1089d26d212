import type { FeedName } from './feeds/feed.ts';

/** The breakdown dimensions of KPIS.md per feed; bucket fields `<field>|<dimension>=<value>` hold them. */
export const DIMENSIONS: Readonly<Record<FeedName, readonly string[]>> = {
  hotline: ['category', 'street', 'department', 'source', 'urgency'],
  online: ['channel', 'department', 'item'],
  hall: ['hall', 'window', 'service'],
  crossRegion: ['partnerRegion', 'direction'],
  evaluations: ['channel', 'department', 'hall'],
};

/** Every dimension any feed has. */
export const ALL_DIMENSIONS: readonly string[] = [...new Set(Object.values(DIMENSIONS).flat())];
