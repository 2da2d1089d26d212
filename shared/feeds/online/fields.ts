/** 一网通办's aggregate fields: counted by core/feeds/online/apply.ts, read by shared/feeds/online/kpis.ts. */
export const ONLINE_FIELDS = ['volume', 'volume.fullyOnline', 'volume.mobile'] as const;
export type OnlineField = (typeof ONLINE_FIELDS)[number];
