/** The closed year (封账) on the wire: GET /api/admin/years/:year (API.md v2), read by the console. */
export interface ClosedYearStatus {
  year: number;
  closed: boolean;
  /** ISO instant the year was closed. */
  closedAt?: string;
  closedBy?: string;
  adjustments: {
    /** Records accepted for a day of the year after it was closed (其后补录). */
    records: number;
    /** Only the KPIs whose current (live) value over the year differs from the published one. */
    kpis: Record<string, { published: number | null; current: number | null }>;
  };
}

/** The oldest year that may be closed (the API's year bounds: 2000–2100). */
export const FIRST_CLOSABLE_YEAR = 2000;
export const LAST_YEAR = 2100;
