/** 预计全年 on the overview's cards (modules/kpi-projection.vue), Chinese first. */
export const projectionZhCN = {
  label: '预计全年',
  interval: '80%区间 {low}–{high}',
  status: { on_track: '可完成', at_risk: '有风险', off_track: '难完成' },
  hint: '按当前进度推算至12月31日；区间约八成把握',
};

export const projectionEn: typeof projectionZhCN = {
  label: 'Year-end projection',
  interval: '80% interval {low}–{high}',
  status: { on_track: 'On track', at_risk: 'At risk', off_track: 'Off track' },
  hint: 'At the current pace to 31 December; about 8 in 10 chance the year lands in the interval',
};
