import type { FeedDescriptor } from '../feed.ts';
import { CROSS_REGION_FIELDS, type CrossRegionField } from './fields.ts';

/** 跨域通办 (FEEDS.md, KPIS.md). */
export const crossRegionDescriptor: FeedDescriptor<'crossRegion', CrossRegionField, never> = {
  name: 'crossRegion',
  fields: CROSS_REGION_FIELDS,
  dimensions: ['partnerRegion', 'direction'],
  drillPath: ['partnerRegion', 'direction'],
  wallFields: ['partnerRegion', 'itemName'],
  silentAfterMinutes: 240,
  liveSets: [],
};
