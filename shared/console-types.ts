import type { Role } from './api-types.ts';
import type { FeedName } from './feeds/feed.ts';

/** Response bodies of the console's own routes (server/routes/console-*.ts, users.ts), shared with the client. */

/** The four kinds of 四类督办 (KPIS.md hotline.supervised). */
export const SUPERVISED_KINDS = ['overdue', 'unresolved', 'dissatisfied', 'repeat'] as const;
export type SupervisedKind = (typeof SUPERVISED_KINDS)[number];

/** One supervised ticket as the console lists it: nothing personal (no caller number, no caller hash). */
export interface SupervisedTicket {
  ticketId: string;
  category: string | null;
  street: string | null;
  department: string | null;
  urgency: string | null;
  /** ISO 8601 instants, null when that milestone has not arrived. */
  signedAt: string | null;
  deadline: string | null;
  completedAt: string | null;
  visitedAt: string | null;
  resolved: boolean | null;
  satisfaction: string | null;
  /** When the ticket became supervised: deadline passed (overdue), follow-up (unresolved, dissatisfied), contact (repeat). */
  since: string;
}

export interface SupervisedListResponse {
  kind: SupervisedKind;
  /** The period the list covers; overdue is live (as of `asOf`) and ignores it. */
  period: { from: string; to: string };
  asOf: string;
  total: number;
  offset: number;
  items: SupervisedTicket[];
}

/** A failed ingest batch (BullMQ job) kept for inspection and retry. */
export interface FailedJob {
  feed: FeedName;
  jobId: string;
  records: number;
  attemptsMade: number;
  failedReason: string;
  /** ISO 8601 instants. */
  receivedAt: string | null;
  failedAt: string | null;
}

export interface FailedJobsResponse {
  items: FailedJob[];
}

/** What an import file's header holds, before it is imported (POST /api/imports/preview). */
export interface ImportPreview {
  feed: FeedName;
  headers: string[];
  /** Headers the feed recognises, and the field each gives. */
  known: Record<string, string>;
  unknown: string[];
  /** The feed's fields a column may be mapped to: field, 中文列名. */
  fields: { field: string; labelZh: string }[];
  /** Up to 5 data rows (cells by header), for the user to recognise the columns. */
  sample: Record<string, string>[];
}

export interface UserView {
  username: string;
  role: Exclude<Role, 'display'>;
  disabled: boolean;
  /** ISO 8601; null for a user created before users carried it (the first `admin`). */
  createdAt: string | null;
}

export interface UsersResponse {
  items: UserView[];
}
