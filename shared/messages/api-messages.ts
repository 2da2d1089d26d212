import type { CatalogueEntry } from './index.ts';

/** The HTTP API's error messages (API.md: `message` in the request's language, `code` stable). */
export const API_MESSAGES = {
  'http.internal': { 'zh-CN': '服务器内部错误', en: 'internal error' },
  'http.no_route': { 'zh-CN': '没有这个接口：{method} {path}', en: 'no route {method} {path}' },
  'http.bad_url_encoding': { 'zh-CN': '网址中的百分号编码有误', en: 'the URL has a bad percent-encoding' },
  'http.body_too_large': { 'zh-CN': '请求体超过 {limit}', en: 'request body is over {limit}' },
  'http.body_not_json': { 'zh-CN': '请求体不是有效的 JSON：{detail}', en: 'request body is not valid JSON: {detail}' },
  'http.unsupported_encoding': { 'zh-CN': '不支持的编码：{detail}', en: 'unsupported encoding: {detail}' },
  'http.origin_forbidden': {
    'zh-CN': '不允许来自 {origin} 的请求（ALLOWED_ORIGINS）',
    en: 'requests from origin {origin} are not allowed (ALLOWED_ORIGINS)',
  },
  'http.redis_unavailable': { 'zh-CN': '数据库（Redis）暂时无法连接，请稍后重试', en: 'Redis is unreachable; retry shortly' },
  'http.redis_unavailable_nothing_accepted': {
    'zh-CN': '数据库（Redis）暂时无法连接，本次数据均未接收，请稍后重试',
    en: 'Redis is unreachable; nothing was accepted, retry later',
  },
  'input.issue': { 'zh-CN': '{path}：{detail}', en: '{path}: {detail}' },
  'input.invalid': { 'zh-CN': '输入有误：{count} 处问题', en: 'invalid input: {count} problems' },

  'auth.token_required': { 'zh-CN': '需要登录令牌（POST /api/auth/login）', en: 'a bearer token is required (POST /api/auth/login)' },
  'auth.token_unknown': { 'zh-CN': '登录已失效，请重新登录', en: 'the token is unknown or has expired' },
  'auth.role_forbidden': { 'zh-CN': '{role} 角色无权进行此操作', en: 'role {role} may not do this' },
  'auth.wrong_credentials': { 'zh-CN': '用户名或密码错误', en: 'wrong username or password' },
  'auth.credentials_required': { 'zh-CN': '请填写用户名和密码', en: 'username and password are required' },
  'auth.too_many_logins': {
    'zh-CN': '登录失败次数过多，请 {seconds} 秒后再试',
    en: 'too many failed logins; retry in {seconds} s',
  },

  'ingest.token_wrong': { 'zh-CN': '数据接入令牌错误', en: 'the ingest token is wrong' },
  'ingest.credentials_missing': {
    'zh-CN': '请以 Bearer 方式发送数据接入令牌，或对请求签名（{signatureHeader}、{timestampHeader}）',
    en: 'send the ingest token as a bearer token, or sign the request ({signatureHeader}, {timestampHeader})',
  },
  'ingest.signing_disabled': {
    'zh-CN': '未启用签名请求（INGEST_HMAC_SECRET）',
    en: 'signed requests are not enabled (INGEST_HMAC_SECRET)',
  },
  'ingest.signature_format': { 'zh-CN': '{header} 应为 sha256=<64 位十六进制>', en: '{header} must be sha256=<64 hex digits>' },
  'ingest.timestamp_skew': {
    'zh-CN': '{header} 应为 Unix 秒数，且与服务器时间相差不超过 {seconds} 秒',
    en: `{header} must be Unix seconds within {seconds} s of the server's clock`,
  },
  'ingest.signature_mismatch': { 'zh-CN': '签名与请求体不符', en: 'the signature does not match the body' },
  'ingest.replay': { 'zh-CN': '该签名请求已接收过（重放）', en: 'this signed request was already received (replay)' },
  'ingest.too_many_records': {
    'zh-CN': '每次请求至多 {max} 条记录，本次 {count} 条',
    en: 'at most {max} records a request, got {count}',
  },
  'ingest.feed_not_accepted': { 'zh-CN': '数据源“{feed}”尚未开通', en: 'feed "{feed}" is not accepted yet' },
  'ingest.unknown_feed': { 'zh-CN': '未知数据源“{feed}”', en: 'unknown feed "{feed}"' },
  'ingest.backlog_full': {
    'zh-CN': '待处理批次超过 {max} 个，请稍后重试',
    en: 'ingest backlog is over {max} batches; retry later',
  },
  'ingest.rate_limited': {
    'zh-CN': '该发送方每分钟请求超过 {max} 次，请稍后重试',
    en: 'more than {max} ingest requests a minute from this sender; retry later',
  },
  'ingest.bad_body': {
    'zh-CN': '请求体应为 JSON { "events": [...] } 或 NDJSON（每行一条记录）',
    en: 'expected a JSON body { "events": [...] } or NDJSON (one record a line)',
  },
  'ingest.no_failed_batch': { 'zh-CN': '数据源 {feed} 没有失败批次 {jobId}', en: 'no failed batch {jobId} on feed {feed}' },
  'connector.unknown': { 'zh-CN': '未配置接入器“{id}”', en: 'no connector "{id}" is configured' },

  'upload.not_multipart': {
    'zh-CN': '请以 multipart/form-data 上传，含 feed 和 file 字段',
    en: 'send multipart/form-data with the fields `feed` and `file`',
  },
  'upload.unreadable': { 'zh-CN': '上传内容无法读取：{detail}', en: 'the upload could not be read: {detail}' },
  'upload.cut_off': { 'zh-CN': '上传未完成就中断了', en: 'the upload was cut off before its end' },
  'upload.no_file': { 'zh-CN': '上传中没有文件（file 字段）', en: 'no file in the upload (field `file`)' },
  'upload.feed_field': {
    'zh-CN': 'feed 字段应为 hotline、online、hall、crossRegion、evaluations 之一（收到“{feed}”）',
    en: 'field `feed` must be one of hotline, online, hall, crossRegion, evaluations (got "{feed}")',
  },
  'file.too_large': { 'zh-CN': '文件超过 {mb} MB', en: 'the file is larger than {mb} MB' },
  'file.empty': { 'zh-CN': '文件为空', en: 'the file is empty' },
  'file.too_many_rows': { 'zh-CN': '数据行超过 {max} 行', en: 'the file has more than {max} data rows' },
  'file.header_only': { 'zh-CN': '只有表头，没有数据行', en: 'the file has a header row but no data rows' },
  'file.legacy_excel': {
    'zh-CN': '不支持旧版 .xls 或加密的 Excel 文件，请另存为 .xlsx 或 CSV',
    en: 'legacy .xls and password-protected Excel files are not supported; save as .xlsx or CSV',
  },
  'file.not_csv_or_xlsx': { 'zh-CN': '不是 CSV 或 XLSX 文件', en: 'the file is neither CSV nor XLSX' },
  'file.csv_malformed': { 'zh-CN': 'CSV 第 {row} 行格式错误：{detail}', en: 'CSV row {row} is malformed: {detail}' },
  'file.not_xlsx': { 'zh-CN': '不是有效的 XLSX 文件', en: 'the file is a zip but not a valid XLSX workbook' },
  'file.xlsx_unreadable': { 'zh-CN': 'XLSX 文件无法读取：{detail}', en: 'the XLSX file cannot be read: {detail}' },
  'file.xlsx_ratio': {
    'zh-CN': 'XLSX 解压后过大（{entry} 压缩比 {ratio}:1，上限 {limit}:1）',
    en: 'the XLSX expands too far: {entry} expands {ratio}:1 (limit {limit}:1)',
  },
  'file.xlsx_expands': { 'zh-CN': 'XLSX 解压后超过 {mb} MB', en: 'the XLSX expands to more than {mb} MB' },
  'file.xlsx_entry_lies': {
    'zh-CN': 'XLSX 解压后超过 {mb} MB：{entry} 解压出的数据多于其声明的大小',
    en: 'the XLSX expands to more than {mb} MB: {entry} inflates to more than it declares',
  },
  'import.unknown_feed': { 'zh-CN': '未知数据源“{feed}”', en: 'unknown feed "{feed}"' },
  'import.no_known_column': {
    'zh-CN': '表头中没有数据源“{feed}”可识别的列。找到：{found}；应为：{expected}',
    en: 'the header names no column of feed "{feed}". found: {found}; expected: {expected}',
  },
  'import.bad_column_map': {
    'zh-CN': '列映射无效：“{column}”→“{target}”不是数据源“{feed}”的字段',
    en: 'column map: "{column}" → "{target}" is not a field of feed "{feed}"',
  },
  'import.duplicate_column': {
    'zh-CN': '列“{other}”和“{column}”都对应字段 {field}',
    en: 'columns "{other}" and "{column}" both give field {field}',
  },
  'import.column_map_shape': {
    'zh-CN': 'columnMap 应为 JSON 对象 { "<文件列名>": "<字段>" }',
    en: '`columnMap` must be a JSON object { "<file column>": "<field>" }',
  },
  'import.batch_failed': {
    'zh-CN': '本次导入有一批数据写入失败：{detail}（该批仍在队列中等待重试）',
    en: 'a batch of this import failed to apply: {detail} (it stays queued for retry)',
  },
  'import.apply_timeout': {
    'zh-CN': '后台处理进程未在规定时间内处理完 {count} 个批次，请确认处理进程在运行',
    en: 'the workers did not apply {count} batches in time; is a worker running?',
  },
  'import.failed': { 'zh-CN': '导入失败：{detail}', en: 'import failed: {detail}' },
  'import.not_found': { 'zh-CN': '没有该导入记录（导入记录保留 7 天）', en: 'no such import (imports are kept 7 days)' },
  'xlsx.bad_body': {
    'zh-CN': '请求体应为 { fileName, sheet, columns: string[], rows: (string|number|boolean|null)[][] }',
    en: 'expected { fileName, sheet, columns: string[], rows: (string|number|boolean|null)[][] }',
  },
} as const satisfies Record<string, CatalogueEntry>;
