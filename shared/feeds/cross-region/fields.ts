/** 跨域通办's aggregate fields (one per milestone): counted by core/feeds/cross-region/apply.ts, read by shared/feeds/cross-region/kpis.ts. */
export const CROSS_REGION_FIELDS = ['received', 'completed', 'returned'] as const;
export type CrossRegionField = (typeof CROSS_REGION_FIELDS)[number];
