/** Chart options shared by the console (drawn in the browser) and the export (rendered on the server). */
export * from './chart-option.ts';
export * from './monthly-charts.ts';
export * from './from-api.ts';
