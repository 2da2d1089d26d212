import type { CatalogueEntry } from './index.ts';

/**
 * Why a record or a file row is refused (FEEDS.md "Bad input"): the feeds' validators and the file
 * import. A field's message gets its `label（field）：` prefix from the renderer.
 */
export const RECORD_MESSAGES = {
  'kind.list': { 'zh-CN': '列表', en: 'a list' },
  'kind.null': { 'zh-CN': 'null', en: 'null' },
  'kind.number': { 'zh-CN': '数字', en: 'number' },
  'kind.boolean': { 'zh-CN': '布尔值', en: 'boolean' },
  'kind.object': { 'zh-CN': '对象', en: 'object' },
  'kind.string': { 'zh-CN': '文本', en: 'string' },

  'record.bad_json_line': { 'zh-CN': '该行不是有效的 JSON（{detail}）', en: 'line is not valid JSON: {detail}' },
  'record.not_object': { 'zh-CN': '记录必须是 JSON 对象', en: 'record must be a JSON object' },
  'record.required': { 'zh-CN': '必填', en: 'is required' },
  'record.control_character': {
    'zh-CN': '第 {position} 个字符是控制字符 {char}',
    en: 'contains the control character {char} at position {position}',
  },
  'record.lone_surrogate': {
    'zh-CN': '第 {position} 个字符是不成对的 UTF-16 代理项 {char}',
    en: 'contains a lone UTF-16 surrogate {char} at position {position}',
  },
  'record.expected_text': { 'zh-CN': '应为文本，实际为{kind}', en: 'expected text, got {kind}' },
  'record.not_in_list': { 'zh-CN': '“{value}”不是可选值（{allowed}）之一', en: '"{value}" is not one of {allowed}' },
  'record.not_in_list_or': {
    'zh-CN': '“{value}”不是可选值（{allowed}，或 {more}）之一',
    en: '"{value}" is not one of {allowed} (or {more})',
  },
  'record.expected_boolean': { 'zh-CN': '应为是/否，实际为{kind}', en: 'expected a boolean, got {kind}' },
  'record.not_boolean': {
    'zh-CN': '“{value}”不是是/否值（true/false、1/0、是/否、Y/N）',
    en: '"{value}" is not a boolean (true/false, 1/0, 是/否, Y/N)',
  },
  'record.before_earliest': {
    'zh-CN': '“{value}”早于可接受的最早时间 {earliest}',
    en: '"{value}" is before {earliest}, the earliest time accepted',
  },
  'record.after_latest': {
    'zh-CN': '“{value}”晚于可接受的最晚时间 {latest}（服务器时间加 {hours} 小时）',
    en: `"{value}" is after {latest}, the latest time accepted (the server's clock + {hours} h)`,
  },
  'record.after_latest_days': {
    'zh-CN': '“{value}”晚于可接受的最晚时间 {latest}（服务器时间加 {hours} 小时再加 {days} 天）',
    en: `"{value}" is after {latest}, the latest time accepted (the server's clock + {hours} h + {days} days)`,
  },
  'record.expected_time': {
    'zh-CN': '应为 ISO 8601 日期时间文本，实际为{kind}',
    en: 'expected an ISO 8601 date-time string, got {kind}',
  },
  'record.not_time': { 'zh-CN': '“{value}”不是有效的 ISO 8601 日期时间', en: '"{value}" is not a valid ISO 8601 date-time' },
  'record.empty': { 'zh-CN': '为空', en: 'is empty' },
  'record.too_long': { 'zh-CN': '超过 {max} 个字符', en: 'is longer than {max} characters' },
  'record.expected_day': { 'zh-CN': '应为日期 YYYY-MM-DD，实际为{kind}', en: 'expected a date YYYY-MM-DD, got {kind}' },
  'record.not_day': { 'zh-CN': '“{value}”不是日期 YYYY-MM-DD', en: '"{value}" is not a calendar day YYYY-MM-DD' },
  'record.not_a_number': {
    'zh-CN': '{value} 不是数字；应为 ≥ 0 的整数',
    en: '{value} is not a number; expected a whole number ≥ 0',
  },
  'record.negative': { 'zh-CN': '{value} 是负数；应为 ≥ 0 的整数', en: '{value} is negative; expected a whole number ≥ 0' },
  'record.not_whole': {
    'zh-CN': '{value} 不是整数；应为 ≥ 0 的整数',
    en: '{value} is not a whole number; expected a whole number ≥ 0',
  },
  'record.over_max': {
    'zh-CN': '{value} 超过单条记录的上限 {max}',
    en: '{value} is more than {max}, the most one record may state',
  },
  'record.not_phone': { 'zh-CN': '不是电话号码', en: 'is not a phone number' },
  'record.not_rating': { 'zh-CN': '“{value}”不是 1–5 级评价（{choices}）', en: '"{value}" is not a rating 1–5 ({choices})' },
  'record.visit_only': {
    'zh-CN': '只有回访（visited）环节带这两项，{type} 环节不带',
    en: 'only a visited (回访) milestone carries them, not {type}',
  },

  'import.no_milestone': {
    'zh-CN': '工单行没有任何环节时间（受理时间、签收时间、响应时间、办结时间、回访时间）',
    en: 'the ticket row has no milestone time (受理时间, 签收时间, 响应时间, 办结时间, 回访时间)',
  },
  'import.undecodable': {
    'zh-CN': '含有无法按文件编码解码的字节（该行编码与文件不一致）',
    en: `holds bytes that are not valid in the file's encoding`,
  },
} as const satisfies Record<string, CatalogueEntry>;
