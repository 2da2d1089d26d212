import type { FeedDescriptor } from '../feed.ts';
import { ONLINE_FIELDS, type OnlineField } from './fields.ts';

/** 一网通办 (FEEDS.md, KPIS.md). */
export const onlineDescriptor: FeedDescriptor<'online', OnlineField, never> = {
  name: 'online',
  fields: ONLINE_FIELDS,
  dimensions: ['channel', 'department', 'item'],
  drillPath: ['channel', 'department', 'item'],
  wallFields: ['channel', 'itemName'],
  silentAfterMinutes: 120,
  liveSets: [],
};
