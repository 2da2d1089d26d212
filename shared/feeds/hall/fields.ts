/** 政务大厅's aggregate fields: counted by core/feeds/hall/apply.ts, read by shared/feeds/hall/kpis.ts. */
export const HALL_FIELDS = [
  // one per queue step, at its own time
  'taken',
  'called',
  'served',
  'abandoned',
  // waits (called − taken) and service times (served − called)
  'wait.count',
  'wait.sumSeconds',
  'wait.withinTarget',
  'service.count',
  'service.sumSeconds',
  // footfall rows
  'visitors',
] as const;
export type HallField = (typeof HALL_FIELDS)[number];
