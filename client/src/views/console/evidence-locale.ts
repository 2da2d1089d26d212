/** The evidence pack button's words (年度导出 › 下载佐证材料), Chinese first. */
export const evidenceZhCN = {
  download: '下载佐证材料',
  busy: '正在生成佐证材料（读取全部记录，约需一分钟）…',
  hint: '每个数字背后的记录（CSV）与清单 manifest.json，清单的 SHA-256 印在 DOCX 末页',
  done: '佐证材料已下载',
};

export const evidenceEn: typeof evidenceZhCN = {
  download: 'Download the evidence pack',
  busy: 'Building the evidence pack (every record is read; about a minute)…',
  hint: "The records behind every figure (CSV) and manifest.json, whose SHA-256 is on the DOCX's last page",
  done: 'Evidence pack downloaded',
};
