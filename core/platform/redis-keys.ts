import type { FeedName } from '../../shared/feeds/feed.ts';
import type { LocalDay } from '../../shared/time.ts';

/**
 * Every Redis key Pulse uses is built here. Keys of one feed share the hash tag `{<feed>}` so that the
 * feed's apply script, which touches the ledger, the day buckets and the statistics together, stays in
 * one Redis Cluster slot.
 */
export type FeedKeyKind = 'ledger' | 'bucket' | 'liveSet' | 'stats' | 'other';
const FEED_KEY_KINDS: Readonly<Record<string, FeedKeyKind>> = {
  l: 'ledger',
  d: 'bucket',
  dh: 'bucket',
  dd: 'bucket',
  m: 'bucket',
  z: 'liveSet',
  st: 'stats',
};

export function redisKeys(prefix: string) {
  const tag = (feed: FeedName) => `${prefix}:{${feed}}`;
  return {
    prefix,
    /** Hash, the ledger of one entity: slot → `<origin>\n<id>\n<canonical JSON>`, and `_v` → version. */
    ledger: (feed: FeedName, entity: string) => `${tag(feed)}:l:${entity}`,
    /** Hash, TTL 7 days: the chunks of a batch already applied (chunk id → 1), so a re-run of the job skips them. */
    appliedChunks: (feed: FeedName, batchId: string) => `${tag(feed)}:a:${batchId}`,
    /** Prefix of the ledger keys of a feed, for SCAN during rebuild/verify. */
    ledgerPattern: (feed: FeedName) => `${tag(feed)}:l:*`,
    /** Hash: field → integer, one calendar month's totals (the sum of its day buckets), for long periods. */
    monthBucket: (feed: FeedName, month: string) => `${tag(feed)}:m:${month}`,
    /** Hash: `<field>@HH` → integer, the local hours of one day (hourly series). */
    dayHourBucket: (feed: FeedName, day: LocalDay) => `${tag(feed)}:dh:${day}`,
    /** Hash: `<field>|<dimension>=<value>` → integer, one day's breakdowns (groupBy). */
    dayDimBucket: (feed: FeedName, day: LocalDay) => `${tag(feed)}:dd:${day}`,
    /**
     * Hash: `<field>|<dim>=<value>>…` → integer, one day's drill-down paths of `depth` levels (2 or 3;
     * shared/feeds/dimensions.ts DRILL_PATHS), one hash per depth so a level reads only its own fields.
     */
    dayPathBucket: (feed: FeedName, day: LocalDay, depth: number) => `${tag(feed)}:dp${depth}:${day}`,
    /** Pattern of every key of a feed: rebuild and verify SCAN the keyspace once per feed and sort what they meet by feedKeyKind. */
    feedPattern: (feed: FeedName) => `${tag(feed)}:*`,
    /** What a key met by feedPattern holds, by its segment after the tag (the builders above and below). */
    feedKeyKind: (feed: FeedName, key: string): FeedKeyKind => {
      const start = tag(feed).length + 1;
      const segment = key.slice(start, key.indexOf(':', start));
      return FEED_KEY_KINDS[segment] ?? (/^dp\d$/.test(segment) ? 'bucket' : 'other'); // dp2, dp3: dayPathBucket
    },
    /** Patterns of a feed's day buckets of every kind (tests look them up). */
    dayBucketPatterns: (feed: FeedName) => [
      `${tag(feed)}:d:*`,
      `${tag(feed)}:dh:*`,
      `${tag(feed)}:dd:*`,
      `${tag(feed)}:dp?:*`,
      `${tag(feed)}:m:*`,
    ],
    /** Pattern of a feed's ingest statistics. */
    ingestStatsPattern: (feed: FeedName) => `${tag(feed)}:st:*`,
    /** Sorted set maintained by the feed's applier (e.g. hotline `open`: open tickets scored by deadline). */
    liveSet: (feed: FeedName, name: string) => `${tag(feed)}:z:${name}`,
    /**
     * Hash: aggregate field → integer, one local day's totals. Hours and breakdowns live in their own
     * hashes beside it, so a year of totals is 365 small reads.
     */
    dayBucket: (feed: FeedName, day: LocalDay) => `${tag(feed)}:d:${day}`,
    /** Hash: received / rejected / accepted / duplicate / conflict / replaced / superseded, by the day the server received them. */
    ingestStats: (feed: FeedName, day: LocalDay) => `${tag(feed)}:st:${day}`,
    /** Hash: the same statistics summed over every receiving day, kept by the same scripts (GET /metrics). */
    ingestTotals: (feed: FeedName) => `${tag(feed)}:st-total`,
    /** List (newest first, capped at 1000): conflicting records kept out of the figures. */
    conflicts: (feed: FeedName) => `${tag(feed)}:conflicts`,
    /** String with TTL: a signed ingest request already received (replay protection). */
    seenSignature: (signature: string) => `${prefix}:hmac-seen:${signature.slice(-64)}`,
    /**
     * Hash with TTL (1 day): what the worker made of a batch (outcome → count), for imports to report.
     * Tagged `{applied}` like the last-record times and the ticker: the worker's end-of-batch transaction
     * writes the three together (one cluster slot).
     */
    batchResult: (batchId: string) => `${prefix}:{applied}:batch:${batchId}`,
    /** Hash: the apply-latency histogram of every feed (core/ingest/apply-latency.ts), written in the same transaction. */
    applyLatency: () => `${prefix}:{applied}:apply-latency`,
    /** Hash with TTL (7 days): an import's progress/result (`progress` JSON) and who started it. */
    importStatus: (importId: string) => `${prefix}:import:${importId}`,
    /** List with TTL (7 days): an import's rejected rows `{ row, errors }`, in file order (first 100,000). */
    importRejected: (importId: string) => `${prefix}:import:${importId}:rejected`,
    /** Pub/sub channel: import progress, relayed by every server to the sockets watching it (publish through channels.ts). */
    importChannel: () => `${prefix}:imports`,
    /** Hash: export template id (`sentences`, `indicators-<name>`) → content an administrator saved over the shipped default. */
    exportTemplates: () => `${prefix}:export-templates`,
    /** Hash with TTL (1 day): an export's progress (`phase`, `step`, `stepsDone`, `stepsTotal`, `files` JSON, `error`) and who asked. */
    exportJob: (exportId: string) => `${prefix}:export:${exportId}`,
    /** String with TTL (1 day): one file of an export (DOCX, XLSX, Markdown or JSON bytes). */
    exportFile: (exportId: string, format: string) => `${prefix}:export:${exportId}:file:${format}`,
    /** Hash: KPI id → JSON { target, direction } for one year (年度指标值). */
    targets: (year: number) => `${prefix}:targets:${year}`,
    /** String, JSON BudgetRecord (shared/budget.ts): a year's budget execution in 万元 and the 自评表's texts (部门名称, 年度总体目标, 实际完成情况). */
    budget: (year: number) => `${prefix}:budget:${year}`,
    /** String, JSON CalendarYear (shared/calendar/working-days.ts): an administrator's working-day calendar of a year, replacing the shipped one. */
    calendar: (year: number) => `${prefix}:calendar:${year}`,
    /** String, JSON array: the 跨域通办 partner list (reference data, replaced whole by an administrator). */
    referencePartners: () => `${prefix}:{reference}:cross-region-partners`,
    /** String, JSON array: the 跨域通办 item catalogue (reference data, replaced whole by an administrator). */
    referenceItems: () => `${prefix}:{reference}:cross-region-items`,
    /** Hash: feed → epoch ms of the last record applied. */
    lastRecordAt: () => `${prefix}:{applied}:feeds:last`,
    /** Pub/sub channel: a worker announces `{ feed, days }` after applying a batch. */
    changedChannel: () => `${prefix}:changed`,
    /** Stream of the socket.io Redis Streams adapter: room broadcasts and socket operations across server processes. */
    socketIoStream: () => `${prefix}:{socket.io}:stream`,
    /** Prefix of the adapter's pub/sub channels (`<prefix>#<namespace>#…`). */
    socketIoChannelPrefix: () => `${prefix}:socket.io`,
    /** List (newest first, capped): the latest applied events as wall ticker items (JSON, no personal data). */
    ticker: () => `${prefix}:{applied}:ticker`,
    /** Channel: a display token or a user's sessions were revoked — `{ kind: "display-token", id }` or `{ kind: "user", username }`. */
    revokedChannel: () => `${prefix}:revoked`,
    /** String, JSON AlertSettings: the wall's alert thresholds, webhook and feed silence limits. */
    alertSettings: () => `${prefix}:alert-settings`,
    /** String: the bureau's name (core/services/bureau-service.ts), seeded from BUREAU_NAME, edited by an administrator. */
    bureauName: () => `${prefix}:settings:bureau-name`,
    /** String with TTL: a red alert already notified for (day, KPI), so several servers notify once. */
    alertNotified: (day: string, kpiId: string) => `${prefix}:alert-notified:${day}:${kpiId}`,
    /** Hash: display-token id → ISO instant a screen last connected with it. */
    displayTokenSeen: () => `${prefix}:{auth}:display-tokens:seen`,
    /** Stream: the audit log (logins, imports, exports, admin changes), entries `{ at, actor, action, target, details }`. */
    audit: () => `${prefix}:audit`,
    /** Hash: address → refused logins in the hour starting at `hourStartMs` (epoch ms); the audit holds one entry per address and hour. */
    auditLoginRefusals: (hourStartMs: number) => `${prefix}:audit:login-refusals:${hourStartMs}`,
    /** Hash: username → JSON user (role, scrypt password hash). Users, sessions and display tokens share the tag `{auth}` (one slot: a login's transaction touches several). */
    users: () => `${prefix}:{auth}:users`,
    /** String with TTL: session of a bearer token, keyed by the token's SHA-256. */
    session: (tokenHash: string) => `${prefix}:{auth}:session:${tokenHash}`,
    /** Set: the session token hashes of one user, so a role change, disabling or deleting ends them all. */
    userSessions: (username: string) => `${prefix}:{auth}:user-sessions:${username}`,
    /** Hash: display token's SHA-256 → JSON { name, createdAt }. */
    displayTokens: () => `${prefix}:{auth}:display-tokens`,
    /** Prefix of rate-limit counters (strings with TTL, rate-limiter-flexible): `<p>:rl:<limiter>:<key>`. */
    rateLimit: (limiter: string) => `${prefix}:rl:${limiter}`,
    /** String: a secret generated once and shared by every process (e.g. `ingest-token`, `pii-key`). */
    secret: (name: string) => `${prefix}:secret:${name}`,
    /** String with TTL: a worker process is alive (container health checks). */
    workerHeartbeat: (host: string, pid: string) => `${prefix}:worker:${host}:${pid}`,
    /** Hash: connector id → JSON { id, kind, feed, intervalSeconds, expectedIntervalSeconds, failAfter } of the configured pull connectors. */
    connectors: () => `${prefix}:connectors`,
    /** String, JSON { value, seen }: an HTTP connector's cursor, advanced only once a page's records are queued. */
    connectorCursor: (id: string) => `${prefix}:{connector:${id}}:cursor`,
    /** Hash: a connector's health (last run/success/error, consecutive failures, state, current interval). */
    connectorHealth: (id: string) => `${prefix}:{connector:${id}}:health`,
    /** String with TTL (8 days): new records (or files) a connector took from its source on one local day. */
    connectorFetched: (id: string, day: LocalDay) => `${prefix}:{connector:${id}}:fetched:${day}`,
    /** Hash: a drop folder's files waiting to be stable: file name → JSON { size, mtimeMs, stableSince }. */
    connectorFiles: (id: string) => `${prefix}:{connector:${id}}:files`,
    /** Hash: SHA-256 of a file imported from a drop folder → JSON { file, importId, importedAt }. */
    importedFiles: (feed: FeedName) => `${tag(feed)}:files`,
    /** 未诉先办 hotspots (core/analytics/hotspot-store.ts), tagged `{hotspots}` so the detector's transaction is one slot: hash id → JSON Hotspot (without its review and its tickets). */
    hotspots: () => `${prefix}:{hotspots}:all`,
    /** Hash: hotspot id → JSON array of its ticket ids (a surge's can be long: read only where the tickets are shown). */
    hotspotTickets: () => `${prefix}:{hotspots}:tickets`,
    /** Sorted set: hotspot id by start (epoch ms), for a period's list. */
    hotspotsByStart: () => `${prefix}:{hotspots}:by-start`,
    /** Set: the ids of the active hotspots (end null). */
    hotspotsActive: () => `${prefix}:{hotspots}:active`,
    /** Hash: series (`c=<category>|s=<street>`) → id of its latest hotspot, so a re-raise soon after extends it. */
    hotspotSeries: () => `${prefix}:{hotspots}:series`,
    /** Hash: hotspot id → JSON HotspotReview (研判), written only by the review call. */
    hotspotReviews: () => `${prefix}:{hotspots}:review`,
    /** String with TTL: the robot was told about this hotspot (SET NX: once across processes). */
    hotspotNotified: (id: string) => `${prefix}:hotspot-notified:${id}`,
    /** Pub/sub channel: the active hotspots changed (servers send `hotspots` to their wall sockets). */
    hotspotsChannel: () => `${prefix}:hotspots-changed`,
    /** BullMQ prefix for this instance's queues. */
    queuePrefix: () => `${prefix}:bull`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
