import type { CatalogueEntry } from './index.ts';

/** Error messages of the closed year (封账): POST/DELETE /api/admin/years/:year/close, GET /api/admin/years/:year. */
export const CLOSED_YEAR_MESSAGES = {
  'year.bad_year': { 'zh-CN': '年份应为 YYYY（2000–2100）：{value}', en: 'the year must be YYYY (2000–2100): {value}' },
  'year.future': {
    'zh-CN': '{year} 年尚未到来，不能封账（今年是 {current} 年）',
    en: '{year} has not begun; it cannot be closed (this is {current})',
  },
  'year.already_closed': {
    'zh-CN': '{year} 年已于 {closedAt} 由 {closedBy} 封账；如需改动请先撤销封账',
    en: '{year} was closed at {closedAt} by {closedBy}; reopen it first to change it',
  },
  'year.not_closed': { 'zh-CN': '{year} 年尚未封账，无需撤销', en: '{year} is not closed; there is nothing to reopen' },
  'year.busy': {
    'zh-CN': '{year} 年的封账或撤销正在进行，请稍后再试',
    en: 'a close or reopen of {year} is under way; try again shortly',
  },
} as const satisfies Record<string, CatalogueEntry>;
