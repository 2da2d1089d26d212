/** 好差评's aggregate fields: counted by core/feeds/evaluations/apply.ts, read by shared/feeds/evaluations/kpis.ts. */
export const EVALUATION_FIELDS = ['count', 'positive', 'negative', 'rating.1', 'rating.2', 'rating.3', 'rating.4', 'rating.5'] as const;
export type EvaluationField = (typeof EVALUATION_FIELDS)[number];
