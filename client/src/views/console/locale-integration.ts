/** The console's words for the API page and the reference-data upload (issue 16), merged into locale.ts. */
export const integrationZhCN = {
  apiDocs: {
    title: '接口文档',
    intro: '本系统全部 HTTP 接口（OpenAPI 3.1）。各数据源记录的结构与服务端校验同源生成，对接厂商可据此开发推送程序。',
    download: '下载 openapi.json',
    loading: '正在加载接口描述…',
    failed: '接口描述加载失败：{message}',
    parameters: '参数',
    requestBody: '请求体',
    responses: '响应',
    name: '名称',
    in: '位置',
    required: '必填',
    yes: '是',
    schema: '类型与取值',
    description: '说明',
    status: '状态码',
    records: '数据记录结构',
    recordsIntro: '每条记录的字段；字段也可用中文列名。时间不带时区时按本地时间（TZ_REPORT）。',
    field: '字段',
    column: '中文列名',
  },
  referenceFile: {
    upload: '从表格导入',
    hint: 'CSV 或 XLSX，表头可用中文或英文，编码 UTF-8 或 GB18030；任一行有误则整表不替换。',
    taken: '已导入 {count} 行，列表已替换',
    rejected: '{count} 行有误，列表未替换：',
    row: '第 {row} 行',
  },
};

export const integrationEn: typeof integrationZhCN = {
  apiDocs: {
    title: 'API',
    intro:
      'Every HTTP call of this system (OpenAPI 3.1). Each feed’s record schema is generated from the server’s own validation: vendors build their senders from it.',
    download: 'Download openapi.json',
    loading: 'Loading the API description…',
    failed: 'Could not load the API description: {message}',
    parameters: 'Parameters',
    requestBody: 'Request body',
    responses: 'Responses',
    name: 'Name',
    in: 'In',
    required: 'Required',
    yes: 'yes',
    schema: 'Type and values',
    description: 'Description',
    status: 'Status',
    records: 'Record schemas',
    recordsIntro:
      'The fields of one record; a field may also be named by its Chinese column name. Times without an offset are local (TZ_REPORT).',
    field: 'Field',
    column: 'Chinese column',
  },
  referenceFile: {
    upload: 'Upload a spreadsheet',
    hint: 'CSV or XLSX, Chinese or English headers, UTF-8 or GB18030; if any row is bad, nothing is replaced.',
    taken: '{count} rows taken; the list is replaced',
    rejected: '{count} rows are bad; the list was not replaced:',
    row: 'row {row}',
  },
};
