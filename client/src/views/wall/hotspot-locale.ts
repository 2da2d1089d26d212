/** The wall's 热点预警 panel words (`wall.hotspots.*`), Chinese first; the English object has the same shape. */
export const wallHotspotsZhCN = {
  title: '热点预警',
  levels: { 黄: '黄色', 橙: '橙色', 红: '红色' },
  none: '暂无热点预警',
  anyCategory: '各类诉求',
  wholeDistrict: '全区',
  unit: '条',
  /** After the observed count: "12" + " 条 / 预期 2.1". */
  against: ' {unit} / 预期 {expected}',
  since: '{time} 起',
  more: '另有 {n} 个',
};

export const wallHotspotsEn: typeof wallHotspotsZhCN = {
  title: 'Hotspots',
  levels: { 黄: 'Yellow', 橙: 'Orange', 红: 'Red' },
  none: 'No hotspots',
  anyCategory: 'All categories',
  wholeDistrict: 'whole district',
  unit: 'tickets',
  against: ' {unit} / expected {expected}',
  since: 'since {time}',
  more: '{n} more',
};
