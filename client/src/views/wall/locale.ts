/** The wall's messages (`wall.*`), Chinese first; the English object has the same shape. */
export const wallZhCN = {
  title: '大屏',
};

export const wallEn: typeof wallZhCN = {
  title: 'Wall',
};
