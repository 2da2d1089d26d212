import type { FeedDescriptor } from '../feed.ts';
import { EVALUATION_FIELDS, type EvaluationField } from './fields.ts';

/** 好差评 (FEEDS.md, KPIS.md). */
export const evaluationsDescriptor: FeedDescriptor<'evaluations', EvaluationField, never> = {
  name: 'evaluations',
  fields: EVALUATION_FIELDS,
  dimensions: ['channel', 'department', 'hall'],
  drillPath: null,
  wallFields: ['channel', 'hall', 'department'],
  silentAfterMinutes: 120,
  liveSets: [],
};
