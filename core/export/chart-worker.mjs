// Entry of the chart worker threads (chart-pool.ts): loads tsx in the thread, then the TypeScript worker.
import { register } from 'tsx/esm/api';

register();
await import('./chart-worker.ts');
