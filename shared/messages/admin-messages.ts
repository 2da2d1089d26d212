import type { CatalogueEntry } from './index.ts';

/** Error messages of the console's and the administrator's calls: figures, exports, users, settings. */
export const ADMIN_MESSAGES = {
  'kpi.bad_from': { 'zh-CN': 'from 应为日期 YYYY-MM-DD', en: '`from` must be a calendar day YYYY-MM-DD' },
  'kpi.bad_to': { 'zh-CN': 'to 应为日期 YYYY-MM-DD', en: '`to` must be a calendar day YYYY-MM-DD' },
  'kpi.to_before_from': { 'zh-CN': 'to 早于 from', en: '`to` is before `from`' },
  'kpi.period_too_long': { 'zh-CN': '统计期至多 {max} 天', en: 'a period may cover at most {max} days' },
  'kpi.where_needs_group_by': { 'zh-CN': 'where 需要同时给出 groupBy', en: '`where` needs a `groupBy`' },
  'kpi.bad_group_by': { 'zh-CN': 'groupBy 应为 {allowed} 之一', en: 'groupBy must be one of {allowed}' },
  'kpi.not_drill_path': {
    'zh-CN': 'where 和 groupBy 须沿下钻路径：{paths}',
    en: '`where` and `groupBy` must follow a drill-down path: {paths}',
  },
  'kpi.unknown_ids': { 'zh-CN': '未知的指标编号：{ids}', en: 'unknown KPI ids: {ids}' },
  'kpi.hourly_too_long': { 'zh-CN': '分时序列至多 31 天', en: 'hourly series cover at most 31 days' },
  'kpi.bad_where': {
    'zh-CN': 'where 应为 <维度>:<值>，例如 where=category:城市管理',
    en: '`where` must be `<dimension>:<value>`, e.g. where=category:城市管理',
  },
  'kpi.bad_interval': { 'zh-CN': 'interval 应为 {allowed} 之一', en: 'interval must be one of {allowed}' },
  'supervised.bad_kind': { 'zh-CN': 'kind 应为 {allowed} 之一', en: 'kind must be one of {allowed}' },

  'targets.bad_body': {
    'zh-CN': '应为 { "<指标编号>": { "target": 数值, "direction": ">=" | "<=" } }',
    en: 'expected { "<kpi id>": { "target": number, "direction": ">=" | "<=" } }',
  },
  'targets.not_saved': { 'zh-CN': '年度指标值未保存', en: 'targets not saved' },
  'targets.unknown_kpi': { 'zh-CN': '{id}：未知的指标编号', en: '{id}: unknown KPI id' },
  'targets.bad_target': {
    'zh-CN': '{id}：应为 { target: 数值, direction: ">=" | "<=" }',
    en: '{id}: needs { target: number, direction: ">=" | "<=" }',
  },
  'year.bad': { 'zh-CN': '年份应为 YYYY', en: 'year must be YYYY' },
  'alerts.invalid': { 'zh-CN': '预警设置无效', en: 'invalid alert settings' },
  'alerts.levels_order': {
    'zh-CN': '{path}：预警级别须由黄到橙到红逐级加重（高于：黄 ≤ 橙 ≤ 红；低于：黄 ≥ 橙 ≥ 红）',
    en: '{path}: levels must worsen from yellow to orange to red (above: yellow ≤ orange ≤ red; below: yellow ≥ orange ≥ red)',
  },
  'alerts.kpi_keys': { 'zh-CN': '{path}：每个键都须是 KPIS.md 中的指标编号', en: '{path}: every key must be a KPI id of KPIS.md' },

  'export.unknown_format': { 'zh-CN': '未知格式 {formats}：可用 {allowed}', en: 'unknown format {formats}: use {allowed}' },
  'export.year_or_period': { 'zh-CN': '请给出 year 或 from/to，不能同时给出', en: 'give either `year` or `from`/`to`, not both' },
  'export.bad_year': { 'zh-CN': 'year 应为 YYYY', en: '`year` must be YYYY' },
  'export.no_period': { 'zh-CN': '请给出 year 或 from（及 to）', en: 'give `year` or `from` (and `to`)' },
  'export.bad_format': { 'zh-CN': 'format 应为 {allowed} 之一', en: 'format must be one of {allowed}' },
  'export.not_found': { 'zh-CN': '没有该导出任务（导出结果保留一天）', en: 'no such export (exports are kept one day)' },
  'export.no_file': {
    'zh-CN': '没有该文件：导出仍在进行、已失败、不含该格式或已超过一天',
    en: 'no such file: the export is still running, failed, did not include that format, or is over a day old',
  },
  'template.not_saved': { 'zh-CN': '模板未保存：{problem}', en: 'template not saved: {problem}' },
  'template.bad_id': {
    'zh-CN': '模板编号应为 sentences 或 indicators-<名称>（小写字母、数字、-）',
    en: 'template id must be `sentences` or `indicators-<name>` (lower-case letters, digits, -)',
  },
  'template.no_content': { 'zh-CN': 'content 应为模板文本', en: '`content` must be the template text' },
  'template.too_long': { 'zh-CN': '模板至多 {max} 个字符', en: 'a template is at most {max} characters' },
  'template.not_found': { 'zh-CN': '没有模板 {id}', en: 'no template {id}' },
  'template.none_valid': { 'zh-CN': '没有可用的指标模板', en: 'no valid indicator template' },

  'reference.partner': { 'zh-CN': '跨域通办合作地区', en: 'partner' },
  'reference.item': { 'zh-CN': '跨域通办事项', en: 'item' },
  'reference.not_object': { 'zh-CN': '条目必须是 JSON 对象', en: 'entry must be a JSON object' },
  'reference.not_array': { 'zh-CN': '{what}：应为条目数组', en: '{what}: expected an array of entries' },
  'reference.too_many': { 'zh-CN': '{what}：至多 {max} 条，收到 {count} 条', en: '{what}: at most {max} entries, got {count}' },
  'reference.invalid': {
    'zh-CN': '{what} 的 {count} 条中有 {bad} 条无效，列表未替换',
    en: '{bad} of {count} {what} entries are invalid; the list was not replaced',
  },
  'reference.duplicate': { 'zh-CN': '“{key}”已在第 {first} 条列出', en: '"{key}" is already listed at index {first}' },
  'reference.duplicate_row': { 'zh-CN': '“{key}”已在第 {first} 行列出', en: '"{key}" is already listed at row {first}' },
  'reference.invalid_rows': {
    'zh-CN': '文件 {count} 行中有 {bad} 行无效，{what}列表未替换',
    en: '{bad} of {count} rows are invalid; the {what} list was not replaced',
  },
  'reference.missing_columns': { 'zh-CN': '文件缺少列：{names}', en: 'the file lacks the columns: {names}' },
  'reference.bad_day': { 'zh-CN': '“{value}”不是日期 YYYY-MM-DD', en: '"{value}" is not a calendar day YYYY-MM-DD' },
  'reference.bad_body': { 'zh-CN': '请求体应为 JSON { "items": [...] }', en: 'expected a JSON body { "items": [...] }' },

  'user.bad_username': {
    'zh-CN': '{path}：用户名为 1–64 个字母、数字、“.”、“_”或“-”',
    en: '{path}: 1–64 letters, digits, ".", "_" or "-"',
  },
  'user.exists': { 'zh-CN': '用户“{username}”已存在', en: 'user "{username}" already exists' },
  'user.not_found': { 'zh-CN': '没有用户“{username}”', en: 'no user "{username}"' },
  'user.last_admin': {
    'zh-CN': '至少保留一名启用的管理员（“{username}”是最后一名）',
    en: '"{username}" is the last enabled administrator',
  },
  'password.too_short': { 'zh-CN': '密码至少 {min} 个字符', en: 'password: at least {min} characters' },
  'password.too_long': { 'zh-CN': '密码至多 {max} 个字符', en: 'password: at most {max} characters' },
  'password.contains_username': { 'zh-CN': '密码不能包含用户名', en: 'password: must not contain the username' },
  'password.run': {
    'zh-CN': '密码过于简单（重复或连续的字符）',
    en: 'password: a repeated or consecutive run of characters',
  },
  'password.common': { 'zh-CN': '密码是常见密码之一，请换一个', en: 'password: one of the most common passwords' },
  'display_token.bad_name': {
    'zh-CN': '请填写 name（1–64 个字符），例如“12345 中心大屏”',
    en: '`name` (1–64 characters) is required, e.g. "12345 中心大屏"',
  },
  'display_token.not_found': { 'zh-CN': '没有大屏令牌 {id}', en: 'no display token {id}' },
  'bureau.bad_name': { 'zh-CN': '单位名称应为 1–{max} 个字符的文本', en: 'the bureau name must be text of 1–{max} characters' },
  'budget.bad_year': { 'zh-CN': '年份应为 YYYY（2000–2100）', en: 'year must be YYYY (2000–2100)' },
  'budget.not_found': { 'zh-CN': '{year} 年的预算执行情况尚未填报', en: 'no budget entered for {year}' },
  'budget.not_saved': { 'zh-CN': '预算执行情况未保存：{problem}', en: 'budget not saved: {problem}' },
  'budget.bad_body': { 'zh-CN': '请求体应为 {{fields}}，单位万元', en: 'expected {{fields}} in 万元' },
  'budget.required': { 'zh-CN': '必填，单位万元', en: 'required, in 万元' },
  'budget.not_number': { 'zh-CN': '应为数字（万元）', en: 'must be a number (万元)' },
  'budget.negative': { 'zh-CN': '不能为负数', en: 'must be 0 or more' },
  'budget.too_large': { 'zh-CN': '至多 {max} 万元', en: 'at most {max} 万元' },
  'budget.decimals': {
    'zh-CN': '至多两位小数（万元精确到百元）',
    en: 'at most 2 decimals (万元 to the 百元)',
  },
  'budget.not_text': { 'zh-CN': '应为文本', en: 'must be text' },
  'budget.text_too_long': { 'zh-CN': '至多 {max} 个字符', en: 'at most {max} characters' },
  'budget.unknown_field': { 'zh-CN': '{key}：不认识的字段', en: '{key}: unknown field' },
  'budget.approved_zero': {
    'zh-CN': '应大于 0（执行率以它为分母）',
    en: 'must be more than 0 (执行率 divides by it)',
  },
  'budget.sum_mismatch': {
    'zh-CN': '基本支出 + 项目支出 应等于 全年执行数：{sum} ≠ {spent}',
    en: 'basic (基本支出) + project (项目支出) must equal spent (全年执行数): {sum} ≠ {spent}',
  },
  'budget.over_available': {
    'zh-CN': '全年执行数不能超过全年到位资金：{spent} > {available}',
    en: 'spent (全年执行数) must not exceed available (全年到位资金): {spent} > {available}',
  },
  'metrics.bad_token': { 'zh-CN': '监控令牌（METRICS_TOKEN）不正确', en: 'the metrics token is wrong (METRICS_TOKEN)' },
  'metrics.forbidden': {
    'zh-CN': '监控指标只提供给本机或持监控令牌（METRICS_TOKEN）的请求',
    en: 'metrics are served to loopback, or with the metrics token (METRICS_TOKEN)',
  },
} as const satisfies Record<string, CatalogueEntry>;
