/** Scenario 6's generators, part 2: hostile changes to a draft, the path each record takes, a whole case. */
import fc from 'fast-check';
import type { FeedName } from '../../../shared/feeds/feed.ts';
import { SUPPORTED_FEEDS } from '../../../core/ingest/apply-service.ts';
import {
  BAD_TIMES,
  draftArb,
  FAR_TIMES,
  LABELS,
  pad,
  type Draft,
  type Expect,
  type Feature,
  type FuzzRecord,
  type Mutation,
  type Path,
} from './generators.ts';

const REQUIRED: Record<FeedName, string[]> = {
  hotline: ['ticketId', 'type', 'at'],
  online: ['date', 'itemCode', 'channel', 'count'],
  hall: ['type', 'at'],
  crossRegion: ['caseId', 'type', 'at', 'partnerRegion', 'direction'],
  evaluations: ['id', 'at', 'rating'],
};
const TIME_FIELD: Record<FeedName, string> = { hotline: 'at', online: 'date', hall: 'at', crossRegion: 'at', evaluations: 'at' };
const ENUM_FIELD: Partial<Record<FeedName, string>> = { hotline: 'type', online: 'channel', hall: 'type', crossRegion: 'type' };
const BOOLEAN_FIELD: Partial<Record<FeedName, string>> = { online: 'fullyOnline', hotline: 'resolved' };
const COUNT_FIELD: Partial<Record<FeedName, string>> = { online: 'count', hall: 'entries' };
const TEXT_FIELD: Record<FeedName, { name: string; max: number }> = {
  hotline: { name: 'street', max: 64 },
  online: { name: 'itemCode', max: 64 },
  hall: { name: 'window', max: 64 },
  crossRegion: { name: 'partnerRegion', max: 128 },
  evaluations: { name: 'department', max: 128 },
};
const BAD_COUNTS: unknown[] = [
  -1,
  100_001,
  1.5,
  1e308,
  -1e308,
  2 ** 53,
  'NaN',
  'Infinity',
  '-Infinity',
  '1e3',
  '0x1F',
  '12abc',
  '',
  [],
  { n: 1 },
  false,
];

const set = (name: string, value: unknown) => (fields: Record<string, unknown>) => ({ ...fields, [name]: value });

/** The hostile changes a draft of `feed` may undergo (only those whose field the draft has). */
function mutationsFor(draft: Draft): Mutation[] {
  const { feed, fields } = draft;
  const out: Mutation[] = [];
  const invalid = (badField: string | null, apply: Mutation['apply'], feature?: Feature): void =>
    void out.push({ expect: 'invalid', badField, apply, ...(feature && { feature }) });
  for (const name of REQUIRED[feed]) {
    if (feed === 'hall' && fields.type === '客流' && name !== 'at' && name !== 'type') continue;
    invalid(name, (x) => Object.fromEntries(Object.entries(x).filter(([k]) => k !== name)));
    invalid(name, set(name, null));
    invalid(name, set(name, '   '));
  }
  const time = TIME_FIELD[feed];
  for (const bad of BAD_TIMES) invalid(time, set(time, bad));
  for (const far of FAR_TIMES) invalid(time, set(time, feed === 'online' ? far.slice(0, 10) : far), 'far-time');
  const enumField = ENUM_FIELD[feed];
  if (enumField && feed !== 'hall') {
    invalid(enumField, set(enumField, 'nonsense'));
    invalid(enumField, set(enumField, 5));
    invalid(enumField, set(enumField, { code: fields[enumField] }));
    invalid(enumField, set(enumField, [fields[enumField]]), 'array-for-string');
  }
  if (feed === 'hall' && fields.type !== '客流') invalid('type', set('type', [fields.type]), 'array-for-string');
  const boolField = BOOLEAN_FIELD[feed];
  if (boolField && fields[boolField] !== undefined) {
    invalid(boolField, set(boolField, 'maybe'));
    invalid(boolField, set(boolField, [true]), 'array-for-string');
  }
  const countField = COUNT_FIELD[feed];
  if (countField && fields[countField] !== undefined) {
    for (const bad of BAD_COUNTS) invalid(countField, set(countField, bad));
    invalid(countField, set(countField, 2 ** 53 - 1), 'overflow');
    invalid(countField, set(countField, String(2 ** 53 - 1)), 'overflow');
  }
  if (feed === 'evaluations') for (const bad of [0, 6, 4.5, '4.0', 'five', [4], -3]) invalid('rating', set('rating', bad));
  const text = TEXT_FIELD[feed];
  if (fields[text.name] !== undefined || feed !== 'hall') {
    invalid(text.name, set(text.name, 'x'.repeat(text.max + 1)));
    invalid(text.name, set(text.name, ['a', 'b']));
    invalid(text.name, set(text.name, { value: 'a' }));
  }
  if (feed === 'hotline' && fields.type !== '回访' && fields.type !== 'visited') invalid('satisfaction', set('satisfaction', 'satisfied'));
  // Whole records that are not objects.
  for (const bad of [null, 42, 'record', [fields], true]) invalid(null, () => bad);
  // Unknown and prototype-named fields are ignored (FEEDS.md: unknown columns are ignored).
  out.push({
    expect: 'valid',
    apply: (x) =>
      JSON.parse(
        `{"__proto__":{"type":"x"},"constructor":"c","toString":1,"hasOwnProperty":"h","extra":[1,2],${JSON.stringify(x).slice(1)}`,
      ) as unknown,
  });
  return out;
}

/** One generated record: a draft, maybe one hostile change, and the path it takes. */
function recordArb(
  feed: FeedName,
): fc.Arbitrary<{ draft: Draft; mutation: number | null; path: Path; chinese: boolean; conflict: number | null }> {
  return fc.record({
    draft: draftArb(feed),
    mutation: fc.option(fc.nat(), { nil: null, freq: 2 }),
    path: fc.constantFrom<Path>('json', 'ndjson', 'csv', 'connector'),
    chinese: fc.boolean(),
    conflict: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.nat(1) }),
  });
}

const hasStructure = (v: unknown) => typeof v === 'object' && v !== null;
/** What the server's text cleaner refuses (shared/feeds/fields.ts `cleanText`). */
const UNCLEAN_TEXT =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/**
 * Line breaks would move row numbers; a NUL makes the server take the file for binary (see
 * docs/RELIABILITY.md); a lone surrogate has no UTF-8 spelling (the file would hold U+FFFD instead).
 */
const CSV_UNSAFE = /[\r\n\u0000]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Turns the generated parts into the records of a case; a record whose fate is open gets an entity of its own. */
function buildRecords(
  parts: { draft: Draft; mutation: number | null; path: Path; chinese: boolean; conflict: number | null }[],
): FuzzRecord[] {
  return parts.map((p, i) => {
    const { draft } = p;
    // A text field with a lone surrogate or a control character: the record is bad for that field alone.
    const badText = Object.keys(draft.fields).find((k) => typeof draft.fields[k] === 'string' && UNCLEAN_TEXT.test(draft.fields[k]));
    const mutations = badText === undefined ? mutationsFor(draft) : [];
    // Half the changes drawn from the named hostile kinds, so that none is drowned by the many plain ones.
    const named = mutations.filter((x) => x.feature !== undefined);
    const plain = mutations.filter((x) => x.feature === undefined);
    const pool = p.mutation !== null && p.mutation % 2 === 1 && named.length > 0 ? named : plain;
    const m = p.mutation === null || pool.length === 0 ? null : pool[(p.mutation >> 1) % pool.length]!;
    const features = [...draft.features];
    if (m?.feature) features.push(m.feature);
    // A bad record keeps its one fault: a conflicting field beside it could be what its reason names instead.
    const conflict = m?.expect === 'invalid' || badText !== undefined ? null : p.conflict;
    const open = conflict !== null;
    const fields = { ...draft.fields };
    let key: string | null = draft.key;
    if (open) {
      // Unique entity: whether it is kept or refused, no other record's fate depends on it.
      fields[draft.idField] = `U-${i}`;
      if (draft.feed === 'hall' && draft.idField === 'hall')
        fields.at = `2022-04-02T${pad(8 + (i % 12))}:${pad(Math.floor(i / 12) % 60)}:00+08:00`;
      key = `U-${i}`;
      if (draft.feed === 'evaluations') fields.department = '未定'; // not one of the breakdown check's
    }
    let raw = m ? m.apply(fields) : fields;
    const expect: Expect = m?.expect === 'invalid' || badText !== undefined ? 'invalid' : open ? 'either' : 'valid';
    if (expect === 'invalid') key = null;
    let text: string | undefined;
    if (conflict !== null && hasStructure(raw) && !Array.isArray(raw)) {
      features.push('conflicting-keys');
      const o = raw as Record<string, unknown>;
      const name = REQUIRED[draft.feed].find((n) => o[n] !== undefined && n !== draft.idField) ?? draft.idField;
      if (conflict === 0) {
        // The field twice in one JSON object: JSON.parse keeps the last, so the first may be anything.
        const body = JSON.stringify(o);
        text = `{${JSON.stringify(name)}:"conflicting",${body.slice(1)}`;
      } else raw = { ...o, [LABELS[draft.feed][name]!]: 'conflicting' };
    }
    // A Chinese column name for every field of an untouched object, now and then.
    if (p.chinese && text === undefined && hasStructure(raw) && !Array.isArray(raw) && conflict === null) {
      raw = Object.fromEntries(Object.entries(raw as Record<string, unknown>).map(([k, v]) => [LABELS[draft.feed][k] ?? k, v]));
    }
    let path = p.path;
    const values = hasStructure(raw) && !Array.isArray(raw) ? Object.values(raw as Record<string, unknown>) : [raw];
    const csvSafe =
      text === undefined &&
      hasStructure(raw) &&
      !Array.isArray(raw) &&
      conflict === null &&
      !p.chinese &&
      values.every((v) => !hasStructure(v) && !(typeof v === 'string' && CSV_UNSAFE.test(v))) &&
      !Object.keys(raw as object).some((k) => !(k in LABELS[draft.feed]));
    if (path === 'csv' && !csvSafe) path = 'json';
    if (path === 'connector' && text !== undefined) path = 'ndjson';
    return {
      feed: draft.feed,
      path,
      expect,
      raw,
      ...(text !== undefined && { text }),
      key,
      ...(expect === 'invalid' && { badField: badText ?? m!.badField ?? null }),
      ...(draft.department !== undefined && expect === 'valid' && { department: draft.department }),
      features: [...new Set(features)],
    };
  });
}

/**
 * A case: records of every feed, shuffled together, with some sent again (same or another path);
 * and now and then `overflowRows` online rows of 2^53−1 on one day (were they kept, more than 1,024
 * of them would sum past a Redis counter's 2^63), kept out of `records` so that a counterexample prints short.
 */
export interface FuzzCase {
  records: FuzzRecord[];
  overflowRows: number;
}

/** Enough rows of 2^53−1 to pass 2^63 in one day's total. */
const OVERFLOW_ROWS = 1_100;

/** The online rows of a case's `overflowRows`: each refused for its count, above the maximum of 100,000. */
export function overflowRecords(n: number): FuzzRecord[] {
  return Array.from({ length: n }, (_, k) => ({
    feed: 'online' as const,
    path: 'json' as const,
    expect: 'invalid' as const,
    raw: { date: '2022-03-01', itemCode: `O-${k}`, channel: 'pc', count: 2 ** 53 - 1 },
    key: null,
    badField: 'count',
    features: ['overflow' as const],
  }));
}

export function caseArb(options: { maxRecords: number }): fc.Arbitrary<FuzzCase> {
  const feedArb = fc.constantFrom(...SUPPORTED_FEEDS).chain(recordArb);
  return fc
    .record({
      parts: fc.array(feedArb, { minLength: 1, maxLength: options.maxRecords }),
      again: fc.array(fc.tuple(fc.nat(), fc.constantFrom<Path>('json', 'ndjson', 'connector')), { maxLength: 4 }),
      overflowRows: fc.oneof({ weight: 5, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.constant(OVERFLOW_ROWS) }),
    })
    .map(({ parts, again, overflowRows }) => {
      const records = buildRecords(parts);
      for (const [n, path] of again) {
        const r = records[n % records.length]!;
        // A record with an open fate goes through the connector once at most, so its count there is exact.
        if (r.expect === 'either' && r.path === 'connector') continue;
        records.push({ ...r, path: path === 'connector' && (r.text !== undefined || r.expect === 'either') ? 'ndjson' : path });
      }
      return { records, overflowRows };
    });
}
