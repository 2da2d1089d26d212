import type { Redis } from 'ioredis';
import { AppError } from '../platform/errors.ts';
import { msg, type Message } from '../../shared/messages/index.ts';
import { FieldCollector, aliasesFrom, renameFields } from '../feeds/fields.ts';
import { enumeration, localDay, recordSchema, required, text, type FieldSpec } from '../feeds/field-kinds.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { readReferenceFile } from './reference-file.ts';
import type { RedisKeys } from '../platform/redis-keys.ts';
import type { CoreContext } from '../context.ts';
import { isLocalDay, type LocalDay } from '../../shared/time.ts';
import { REFERENCE_SCOPES, type CrossRegionItem, type CrossRegionPartner, type ReferenceScope } from '../../shared/console-types.ts';

/** Reference figures as of the end of a day: the `_ref.*` fields of the crossRegion KPIs. */
export interface ReferenceTotals {
  partners: number;
  partnersByScope: Record<ReferenceScope, number>;
  items: number;
}

/** Field → 中文列名 (FEEDS.md names all but addedAt, for which 添加日期 is ours). */
export const PARTNER_FIELD_LABELS = { region: '地区', scope: '范围', signedAt: '签约日期' } as const;
export const ITEM_FIELD_LABELS = { itemCode: '事项编码', itemName: '事项名称', scope: '范围', addedAt: '添加日期' } as const;

/** Entries one list may hold; far above any real agreement list or catalogue. */
export const MAX_REFERENCE_ENTRIES = 10_000;

type Validation<T> = { ok: true; entry: T } | { ok: false; errors: Message[] };
/** A refused entry: its index in the list, and for a file its row number as the spreadsheet shows it. */
type Rejected = { index: number; row?: number; errors: Message[] };

const PARTNER_ALIASES = aliasesFrom(PARTNER_FIELD_LABELS);
const ITEM_ALIASES = aliasesFrom(ITEM_FIELD_LABELS);

/** Each field's kind: what the validation parses and what the entry's JSON Schema (GET /api/openapi.json) says. */
export const PARTNER_FIELD_SPECS = {
  region: required(text(128)),
  scope: required(enumeration(REFERENCE_SCOPES)),
  signedAt: required(localDay(false)),
} satisfies Record<keyof typeof PARTNER_FIELD_LABELS, FieldSpec<unknown>>;
export const ITEM_FIELD_SPECS = {
  itemCode: required(text(64)),
  itemName: required(text(256)),
  scope: required(enumeration(REFERENCE_SCOPES)),
  addedAt: required(localDay(false)),
} satisfies Record<keyof typeof ITEM_FIELD_LABELS, FieldSpec<unknown>>;

export const PARTNER_SCHEMA = recordSchema('跨域通办 合作地区 partner', PARTNER_FIELD_LABELS, PARTNER_FIELD_SPECS);
export const ITEM_SCHEMA = recordSchema('跨域通办 事项 item', ITEM_FIELD_LABELS, ITEM_FIELD_SPECS);

/** Reference fields hold no time and no phone number: nothing of the context is read. */
const NO_CONTEXT: NormalizeContext = { tz: 'UTC', hashPhone: (phone) => phone };

function fieldsOf(input: unknown, aliases: Readonly<Record<string, string>>): Record<string, unknown> | null {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return null;
  return renameFields(input as Record<string, unknown>, aliases);
}

function validatePartner(input: unknown): Validation<CrossRegionPartner> {
  const raw = fieldsOf(input, PARTNER_ALIASES);
  if (!raw) return { ok: false, errors: [msg('reference.not_object')] };
  const c = new FieldCollector(raw, PARTNER_FIELD_LABELS);
  const f = PARTNER_FIELD_SPECS;
  const region = c.read('region', f.region, NO_CONTEXT);
  const scope = c.read('scope', f.scope, NO_CONTEXT);
  const signedAt = c.read('signedAt', f.signedAt, NO_CONTEXT);
  if (c.errors.length > 0 || region === undefined || scope === undefined || signedAt === undefined) return { ok: false, errors: c.errors };
  return { ok: true, entry: { region, scope, signedAt } };
}

function validateItem(input: unknown): Validation<CrossRegionItem> {
  const raw = fieldsOf(input, ITEM_ALIASES);
  if (!raw) return { ok: false, errors: [msg('reference.not_object')] };
  const c = new FieldCollector(raw, ITEM_FIELD_LABELS);
  const f = ITEM_FIELD_SPECS;
  const itemCode = c.read('itemCode', f.itemCode, NO_CONTEXT);
  const itemName = c.read('itemName', f.itemName, NO_CONTEXT);
  const scope = c.read('scope', f.scope, NO_CONTEXT);
  const addedAt = c.read('addedAt', f.addedAt, NO_CONTEXT);
  if (c.errors.length > 0 || itemCode === undefined || itemName === undefined || scope === undefined || addedAt === undefined) {
    return { ok: false, errors: c.errors };
  }
  return { ok: true, entry: { itemCode, itemName, scope, addedAt } };
}

/**
 * Validates a whole list: every entry, and that no key (a partner's region, an item's code) is listed
 * twice, since it would be counted twice. Throws `validation_failed` with `details.rejected`
 * (`[{ index, errors }]`, with `row` when `rows` gives each entry's row in a file) when any entry is
 * refused; nothing is then replaced. `preRejected` holds reasons found while reading the file.
 */
function validateList<T>(
  entries: readonly unknown[],
  what: Message,
  validate: (input: unknown) => Validation<T>,
  key: (entry: T) => string,
  keyField: { field: string; label: string },
  file?: { rows: readonly number[]; preRejected: ReadonlyMap<number, Message[]> },
): T[] {
  if (!Array.isArray(entries)) throw new AppError('validation_failed', msg('reference.not_array', { what }));
  if (entries.length > MAX_REFERENCE_ENTRIES) {
    throw new AppError('validation_failed', msg('reference.too_many', { what, max: MAX_REFERENCE_ENTRIES, count: entries.length }));
  }
  const accepted: T[] = [];
  const rejected: Rejected[] = [];
  const firstIndexOf = new Map<string, number>();
  const at = (index: number) => (file ? { index, row: file.rows[index]! } : { index });
  entries.forEach((input, index) => {
    const early = file?.preRejected.get(index);
    const result: Validation<T> = early ? { ok: false, errors: early } : validate(input);
    if (!result.ok) return rejected.push({ ...at(index), errors: result.errors });
    const k = key(result.entry);
    const first = firstIndexOf.get(k);
    if (first !== undefined) {
      const duplicate = file
        ? msg('reference.duplicate_row', { ...keyField, key: k, first: file.rows[first]! })
        : msg('reference.duplicate', { ...keyField, key: k, first });
      return rejected.push({ ...at(index), errors: [duplicate] });
    }
    firstIndexOf.set(k, index);
    accepted.push(result.entry);
  });
  if (rejected.length > 0) {
    throw new AppError(
      'validation_failed',
      msg(file ? 'reference.invalid_rows' : 'reference.invalid', { bad: rejected.length, count: entries.length, what }),
      { rejected },
    );
  }
  return accepted;
}

/** Counts of `partners` and `items` dated on or before `day` (both lists as stored). */
export function countReferenceAsOf(
  partners: readonly CrossRegionPartner[],
  items: readonly CrossRegionItem[],
  day: LocalDay,
): ReferenceTotals {
  const partnersByScope: Record<ReferenceScope, number> = { inter_provincial: 0, changzhutan: 0 };
  for (const p of partners) if (p.signedAt <= day) partnersByScope[p.scope]++;
  return {
    partners: partnersByScope.inter_provincial + partnersByScope.changzhutan,
    partnersByScope,
    items: items.filter((i) => i.addedAt <= day).length,
  };
}

/**
 * 跨域通办 reference data maintained by an administrator: the partner list and the item catalogue.
 * Each list is one Redis string holding its JSON array, so a replacement is a single atomic SET and a
 * reader sees the old list or the new one, never a mix.
 */
export class ReferenceService {
  private readonly redis: Redis;
  private readonly keys: RedisKeys;

  constructor(ctx: CoreContext) {
    ({ redis: this.redis, keys: this.keys } = ctx);
  }

  /** Replaces the partner list; returns it as stored (scopes as codes, text trimmed). */
  async replacePartners(entries: readonly unknown[]): Promise<CrossRegionPartner[]> {
    const partners = validateList(entries, msg('reference.partner'), validatePartner, (p) => p.region, { field: 'region', label: '地区' });
    await this.redis.set(this.keys.referencePartners(), JSON.stringify(partners));
    return partners;
  }

  /** Replaces the item catalogue; returns it as stored. */
  async replaceItems(entries: readonly unknown[]): Promise<CrossRegionItem[]> {
    const items = validateList(entries, msg('reference.item'), validateItem, (i) => i.itemCode, { field: 'itemCode', label: '事项编码' });
    await this.redis.set(this.keys.referenceItems(), JSON.stringify(items));
    return items;
  }

  /**
   * Replaces the partner list from a CSV or XLSX file (Chinese or English headers, GB18030 or UTF-8):
   * every row must be good, else nothing is replaced and every bad row is named by its row number.
   */
  async replacePartnersFromFile(path: string): Promise<CrossRegionPartner[]> {
    const file = await readReferenceFile(path, PARTNER_FIELD_LABELS, ['signedAt']);
    const partners = validateList(
      file.entries,
      msg('reference.partner'),
      validatePartner,
      (p) => p.region,
      { field: 'region', label: '地区' },
      file,
    );
    await this.redis.set(this.keys.referencePartners(), JSON.stringify(partners));
    return partners;
  }

  /** Replaces the item catalogue from a CSV or XLSX file, as replacePartnersFromFile. */
  async replaceItemsFromFile(path: string): Promise<CrossRegionItem[]> {
    const file = await readReferenceFile(path, ITEM_FIELD_LABELS, ['addedAt']);
    const items = validateList(
      file.entries,
      msg('reference.item'),
      validateItem,
      (i) => i.itemCode,
      { field: 'itemCode', label: '事项编码' },
      file,
    );
    await this.redis.set(this.keys.referenceItems(), JSON.stringify(items));
    return items;
  }

  /** The partner list, in the order it was given; empty before any was set. */
  async listPartners(): Promise<CrossRegionPartner[]> {
    return parseList<CrossRegionPartner>(await this.redis.get(this.keys.referencePartners()));
  }

  /** The item catalogue, in the order it was given; empty before any was set. */
  async listItems(): Promise<CrossRegionItem[]> {
    return parseList<CrossRegionItem>(await this.redis.get(this.keys.referenceItems()));
  }

  /** Partners signed and items added on or before the local day `day` (the period's end). */
  async countsAsOf(day: LocalDay): Promise<ReferenceTotals> {
    if (!isLocalDay(day)) throw new AppError('validation_failed', msg('reference.bad_day', { value: day }));
    // One MGET (both keys share the {reference} hash tag): both lists from the same moment.
    const [partners, items] = await this.redis.mget(this.keys.referencePartners(), this.keys.referenceItems());
    return countReferenceAsOf(parseList(partners ?? null), parseList(items ?? null), day);
  }
}

function parseList<T>(json: string | null): T[] {
  return json ? (JSON.parse(json) as T[]) : [];
}
