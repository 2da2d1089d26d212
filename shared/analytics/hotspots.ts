/**
 * 未诉先办 hotspots (ANALYTICS.md): the shape the API, the wall, the console and the monthly report share.
 * A hotspot is a (category, street), a category across the district or a street across categories whose
 * hotline tickets in a recent window are far above what its own history predicts for that window.
 */

/** 黄 / 橙 / 红, in rising order of evidence. */
export type HotspotLevel = '黄' | '橙' | '红';

/** 研判: what the hotline centre has done about a hotspot. */
export type HotspotReviewState = 'new' | 'acknowledged' | 'assigned' | 'closed';

export interface HotspotReview {
  state: HotspotReviewState;
  /** The department it was assigned to (assigned, or closed after assignment). */
  department?: string;
  /** The note given when closed. */
  note?: string;
  by?: string;
  at?: string;
}

export interface Hotspot {
  /** Stable id: the same rising problem keeps its id while it stays active. */
  id: string;
  /** Absent for a street across categories. */
  category?: string;
  /** Absent for a category across the district. */
  street?: string;
  /** When the window that raised it began (ISO). */
  start: string;
  /** When it stopped being active (ISO); null while active. */
  end: string | null;
  /** When it was raised (ISO). */
  raisedAt: string;
  /** Tickets in the window. */
  observed: number;
  /** What history predicted for the window. */
  expected: number;
  /** The evidence: −log10 of the Poisson upper-tail p-value. */
  score: number;
  level: HotspotLevel;
  ticketIds: string[];
  review: HotspotReview;
}

/**
 * A hotspot as the `/live` socket's `hotspots` event carries it: without its ticket list, which the wall never
 * shows and the console reads from the API. A surge of thousands of tickets would otherwise send every wall its
 * whole list again at each change of its count.
 */
export type LiveHotspot = Omit<Hotspot, 'ticketIds'>;

/** `GET /api/hotline/hotspots?from&to` */
export interface HotspotsResponse {
  hotspots: Hotspot[];
}

/** `POST /api/hotline/hotspots/:id/review` body (manager): acknowledge, assign to a department, or close with a note. */
export type HotspotReviewRequest = { action: 'acknowledge' } | { action: 'assign'; department: string } | { action: 'close'; note: string };
