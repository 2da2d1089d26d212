/** Wire types of 预计全年, GET /api/kpis/projection (ANALYTICS.md), shared by the server, the console and the export. */

/** Against the year's target: the whole 80 % interval meets it, the target lies inside it, or the whole interval misses it. */
export type ProjectionStatus = 'on_track' | 'at_risk' | 'off_track';

/** What a projection used. */
export interface ProjectionBasis {
  /** Days of the year up to asOf (0 before the year, 365/366 after it). */
  daysObserved: number;
  daysLeft: number;
  /** Shaped by the previous year's month-by-month profile (Pulse holds a previous year with a count in every month). */
  previousYearProfile: boolean;
  /** The feed follows the working-day calendar (its non-working-day pace is below half its working-day pace). */
  calendar: boolean;
  /** `pace`: observed + the days left at the year's pace; `actual`: the year is over; `none`: nothing to project. */
  method: 'pace' | 'actual' | 'none';
  /** Why there is no value: asOf is before the year, or the feed has no data in the year up to asOf. */
  reason?: 'before_year' | 'no_data';
}

/** One KPI's projected year-end value with its 80 % interval; a count is an integer, a rate a fraction. Null: no projection (see basis.reason). */
export interface ProjectedKpi {
  value: number | null;
  low: number | null;
  high: number | null;
  target?: number;
  status?: ProjectionStatus;
  basis: ProjectionBasis;
}

export interface ProjectionResponse {
  year: number;
  asOf: string;
  kpis: Record<string, ProjectedKpi>;
}
