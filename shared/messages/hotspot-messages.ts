import type { CatalogueEntry } from './index.ts';

/** Error messages of the 未诉先办 hotspot calls (GET /api/hotline/hotspots, POST …/:id/review). */
export const HOTSPOT_MESSAGES = {
  'hotspot.not_found': { 'zh-CN': '热点 {id} 不存在', en: 'no hotspot {id}' },
  'hotspot.bad_review': {
    'zh-CN': '研判请求应为 { "action": "acknowledge" }、{ "action": "assign", "department": "…" } 或 { "action": "close", "note": "…" }',
    en: 'a review must be { "action": "acknowledge" }, { "action": "assign", "department": "…" } or { "action": "close", "note": "…" }',
  },
  'hotspot.bad_action': {
    'zh-CN': 'action 应为 acknowledge（签收）、assign（交办）或 close（办结）之一',
    en: '`action` must be one of acknowledge, assign, close',
  },
  'hotspot.department_required': { 'zh-CN': '交办须填写承办部门（department）', en: 'assigning needs a `department`' },
  'hotspot.note_required': { 'zh-CN': '办结须填写研判说明（note）', en: 'closing needs a `note`' },
  'hotspot.text_too_long': { 'zh-CN': '{field} 至多 {max} 个字', en: '`{field}` may hold at most {max} characters' },
  'hotspot.unknown_field': { 'zh-CN': '研判请求不认识字段 {field}', en: 'a review has no field `{field}`' },
  'hotspot.closed': { 'zh-CN': '热点 {id} 已办结，不能再研判', en: 'hotspot {id} is closed; it cannot be reviewed again' },
  'hotspot.already_acknowledged': {
    'zh-CN': '热点 {id} 已签收（当前状态：{state}）',
    en: 'hotspot {id} was already acknowledged (state: {state})',
  },
} as const satisfies Record<string, CatalogueEntry>;
