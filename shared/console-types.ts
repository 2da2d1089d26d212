import type { Role } from './api-types.ts';
import type { FeedName } from './feeds/feed.ts';
import type { LocalDay } from './time.ts';
import type { AlertSettings } from './feeds/wall.ts';

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

// Administration and exports (API.md): declared here once, used by the core services and the console.

/** A year's target for one KPI (年度指标值): a rate as a fraction, a count as an integer. */
export interface Target {
  target: number;
  direction: '>=' | '<=';
}

/** Which 跨域通办 agreement a partner or catalogue item belongs to (FEEDS.md §4). */
export const REFERENCE_SCOPES = { inter_provincial: '跨省通办', changzhutan: '长株潭' } as const;
export type ReferenceScope = keyof typeof REFERENCE_SCOPES;

/** A region the district has signed a 跨域通办 agreement with, from `signedAt` (local day) on. */
export interface CrossRegionPartner {
  region: string;
  scope: ReferenceScope;
  signedAt: LocalDay;
}

/** A service item of the 跨域通办 catalogue, listed from `addedAt` (local day) on. */
export interface CrossRegionItem {
  itemCode: string;
  itemName: string;
  scope: ReferenceScope;
  addedAt: LocalDay;
}

/** A display token as GET /api/admin/display-tokens lists it: never its clear value. */
export interface DisplayToken {
  id: string;
  name: string;
  /** ISO 8601 instants; `lastSeenAt` null until a screen connects with it. */
  createdAt: string;
  lastSeenAt: string | null;
  /** Screens connected with it to the server that answered. */
  connected: number;
}

/** POST /api/admin/display-tokens: the clear token, shown once. */
export interface DisplayTokenCreated {
  id: string;
  name: string;
  createdAt: string;
  token: string;
  /** The wall's URL with the token, relative to the server. */
  wallUrl: string;
}

export type ExportTemplateKind = 'sentences' | 'indicators';

/** An export template (GET /api/admin/export-templates). */
export interface ExportTemplate {
  id: string;
  kind: ExportTemplateKind;
  name: string;
  content: string;
  /** True when the content is the shipped default (not overridden). */
  isDefault: boolean;
}

/** The formats of one export (REPORT.md): DOCX to edit, XLSX with every table, Markdown and JSON for machines. */
export const EXPORT_FORMATS = ['docx', 'xlsx', 'md', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** GET /api/exports/:id (the console polls it). */
export interface ExportStatus {
  exportId: string;
  phase: 'running' | 'done' | 'failed';
  step: string;
  stepsDone: number;
  stepsTotal: number;
  files: { format: ExportFormat; fileName: string; url: string }[];
  error?: string;
  from: string;
  to: string;
  createdBy: string;
}

/** PUT /api/admin/alerts: the settings, with the feeds' silence limits optional (the shipped defaults when left out). */
export type AlertSettingsBody = Omit<AlertSettings, 'silentAfterMinutes'> & Partial<Pick<AlertSettings, 'silentAfterMinutes'>>;
