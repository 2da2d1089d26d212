/** The console's messages (`console.*`), Chinese first; the English object has the same shape. */
export const consoleZhCN = {
  title: '管理控制台',
};

export const consoleEn: typeof consoleZhCN = {
  title: 'Console',
};
