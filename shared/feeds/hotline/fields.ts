/**
 * The hotline's aggregate fields: what core/feeds/hotline/apply.ts counts and shared/feeds/hotline/kpis.ts
 * reads, typed once so a misspelt name is a compile error on either side.
 */
export const HOTLINE_FIELDS = [
  // one per milestone, on its own day
  'received',
  'signed',
  'responded',
  'completed',
  'visited',
  // the follow-up's answers, on the follow-up's day
  'visited.resolvedKnown',
  'visited.resolvedYes',
  'visited.sat.very_satisfied',
  'visited.sat.satisfied',
  'visited.sat.basically_satisfied',
  'visited.sat.dissatisfied',
  'visited.sat.very_dissatisfied',
  'supervised.unresolved',
  'supervised.dissatisfied',
  // cohorts, on the day the ticket was received or signed
  'cohort.received',
  'cohort.signedInTime',
  'cohort.normalSigned',
  'cohort.normalRespondedInTime',
  'cohort.complexSigned',
  'cohort.complexRespondedInTime',
  'cohort.completed',
  'cohort.completedOnTime',
] as const;
export type HotlineField = (typeof HOTLINE_FIELDS)[number];
