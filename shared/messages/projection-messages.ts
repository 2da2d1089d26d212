import type { CatalogueEntry } from './index.ts';

/** Messages of 预计全年 (GET /api/kpis/projection) and the working-day calendar (/api/admin/calendar/:year). */
export const PROJECTION_MESSAGES = {
  'projection.bad_year': { 'zh-CN': 'year 应为年份 YYYY（2000–2100）', en: 'year must be YYYY (2000–2100)' },
  'projection.bad_as_of': {
    'zh-CN': 'asOf 应为日期 YYYY-MM-DD（不填则为今天）：{value}',
    en: 'asOf must be a date YYYY-MM-DD (leave it out for today): {value}',
  },
  'calendar.bad_year': { 'zh-CN': '年份应为 YYYY（2000–2100）', en: 'year must be YYYY (2000–2100)' },
  'calendar.bad_body': {
    'zh-CN': '请求体应为 { holidays: [日期], workdays: [日期] }，日期为 YYYY-MM-DD',
    en: 'expected { holidays: [dates], workdays: [dates] }, dates as YYYY-MM-DD',
  },
  'calendar.not_saved': { 'zh-CN': '工作日历未保存，请逐条修正：', en: 'calendar not saved; correct each of these:' },
  'calendar.bad_date': {
    'zh-CN': '{list} 中的 {value}：不是 YYYY-MM-DD 格式的日期',
    en: '{value} in {list}: not a date YYYY-MM-DD',
  },
  'calendar.other_year': { 'zh-CN': '{list} 中的 {value}：不在 {year} 年内', en: '{value} in {list}: not in {year}' },
  'calendar.workday_not_weekend': {
    'zh-CN': 'workdays 中的 {value}：不是周六或周日（调休上班日只能是周末）',
    en: '{value} in workdays: not a Saturday or Sunday (a 调休 working day is a weekend day)',
  },
  'calendar.both_lists': {
    'zh-CN': '{value} 同时列在 holidays 和 workdays 中',
    en: '{value} is in both holidays and workdays',
  },
} as const satisfies Record<string, CatalogueEntry>;
