// doiuse ships types (types/exports/index.d.ts) but its package.json "exports" does not point at them.
declare module 'doiuse' {
  import type { Plugin } from 'postcss';

  export interface FeatureUsage {
    feature: string;
    featureData: unknown;
    usage: unknown;
    message: string;
  }

  export default function doiuse(options: {
    browsers: string[];
    ignore?: string[];
    onFeatureUsage?: (usage: FeatureUsage) => void;
  }): Plugin;
}
