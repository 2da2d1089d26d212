import { Ajv2020 } from 'ajv/dist/2020.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FEED_MODULES } from '../../core/feeds/index.ts';
import { FEED_NAMES, type FeedName, type NormalizeContext } from '../../shared/feeds/feed.ts';
import { generateYear } from '../../scripts/simulator/year.ts';

/**
 * Each feed's JSON Schema (GET /api/openapi.json) is generated from the field kinds its validation runs:
 * records the simulator sends, which the validation accepts, pass the schema; records made invalid in the
 * ways a schema can say (a required field left out, a value of the wrong shape, an unknown code, text too
 * long, a count out of range, a field on the wrong record type) fail both.
 */

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h${p.length}` };
const { feeds } = generateYear({ year: 2022, seed: 16, scale: 0.03 });
const ajv = new Ajv2020({ allErrors: true, strict: true, strictTypes: false, strictRequired: false });
const schemaOf = (feed: FeedName) =>
  FEED_MODULES[feed].recordSchema as { properties: Record<string, Record<string, unknown>>; required: string[] };
const validators = Object.fromEntries(FEED_NAMES.map((f) => [f, ajv.compile(FEED_MODULES[f].recordSchema)]));

const accepts = (feed: FeedName, record: unknown) => FEED_MODULES[feed].normalize(record, ctx).ok;
const schemaAccepts = (feed: FeedName, record: unknown) => validators[feed]!(record) === true;

/** Ways to spoil one field of a valid record, drawn from what the field's schema says. */
function spoilers(feed: FeedName, record: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>>[] {
  const schema = schemaOf(feed);
  const out: fc.Arbitrary<Record<string, unknown>>[] = [];
  const present = Object.keys(record).filter((k) => k in schema.properties);
  const without = (k: string) => Object.fromEntries(Object.entries(record).filter(([key]) => key !== k));
  for (const k of present) {
    // a list or an object where a value is expected is refused, never coerced
    out.push(fc.constantFrom([record[k]], { value: record[k] }).map((v) => ({ ...record, [k]: v })));
    const p = schema.properties[k]!;
    if (schema.required.includes(k)) out.push(fc.constant(without(k)));
    if (Array.isArray(p.enum)) {
      const allowed = new Set((p.enum as string[]).map(String));
      out.push(
        fc
          .string({ minLength: 1, maxLength: 12 })
          .filter((s) => s.trim() !== '' && !allowed.has(s.trim()) && !/[\t\n\r]/.test(s))
          .map((v) => ({ ...record, [k]: v })),
      );
    }
    if (typeof p.maxLength === 'number') {
      const max = p.maxLength;
      out.push(
        fc.string({ minLength: max + 1, maxLength: max + 20, unit: fc.constantFrom('办', 'a', '7') }).map((v) => ({ ...record, [k]: v })),
      );
    }
    const integer = (p.anyOf as { type?: string; maximum?: number; minimum?: number }[] | undefined)?.find((a) => a.type === 'integer');
    if (integer?.maximum !== undefined) {
      const { minimum = 0, maximum } = integer;
      out.push(
        fc
          .oneof(
            fc.integer({ min: maximum + 1, max: maximum * 10 }),
            fc.integer({ min: -1000, max: minimum - 1 }),
            fc.constant(minimum + 0.5),
          )
          .map((v) => ({ ...record, [k]: v })),
      );
    }
  }
  return out;
}

describe('feed record JSON Schemas', () => {
  it.each(FEED_NAMES)('%s: every record the simulator sends passes the validation and the schema', (feed) => {
    const records = feeds[feed].slice(0, 400);
    expect(records.length).toBeGreaterThan(20);
    for (const record of records) {
      expect(accepts(feed, record), JSON.stringify(record)).toBe(true);
      expect(schemaAccepts(feed, record), `${JSON.stringify(record)}: ${ajv.errorsText(validators[feed]!.errors)}`).toBe(true);
    }
  });

  it.each(FEED_NAMES)('%s: leaving out any one field is refused by the schema exactly when the validation refuses it', (feed) => {
    let refused = 0;
    for (const record of feeds[feed].slice(0, 100) as Record<string, unknown>[]) {
      for (const k of Object.keys(record)) {
        const without = Object.fromEntries(Object.entries(record).filter(([key]) => key !== k));
        expect(schemaAccepts(feed, without), `${feed} without ${k}`).toBe(accepts(feed, without));
        if (!accepts(feed, without)) refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
  });

  it.each(FEED_NAMES)('%s: a record spoilt in a way the schema can say fails the validation and the schema', (feed) => {
    const sample = feeds[feed].slice(0, 200) as Record<string, unknown>[];
    const spoilt = fc.constantFrom(...sample).chain((record) => fc.oneof(...spoilers(feed, record)));
    fc.assert(
      fc.property(spoilt, (record) => {
        expect(accepts(feed, record), JSON.stringify(record)).toBe(false);
        expect(schemaAccepts(feed, record), JSON.stringify(record)).toBe(false);
      }),
      { numRuns: 300, seed: 16 },
    );
  });

  it('hotline: 是否解决 and 满意度 belong to a 回访 milestone only, in the schema as in the validation', () => {
    const signed = (feeds.hotline as Record<string, unknown>[]).find((r) => r.type === 'signed' || r.type === '签收')!;
    for (const extra of [{ resolved: true }, { satisfaction: '满意' }]) {
      expect(accepts('hotline', { ...signed, ...extra })).toBe(false);
      expect(schemaAccepts('hotline', { ...signed, ...extra })).toBe(false);
    }
  });

  it('hall: a queue step needs queueId and a footfall row needs entries, in the schema as in the validation', () => {
    const hall = feeds.hall as Record<string, unknown>[];
    const queue = hall.find((r) => r.queueId !== undefined)!;
    const footfall = hall.find((r) => r.entries !== undefined)!;
    const { queueId: _q, ...noQueueId } = queue;
    const { entries: _e, ...noEntries } = footfall;
    for (const record of [noQueueId, noEntries]) {
      expect(accepts('hall', record)).toBe(false);
      expect(schemaAccepts('hall', record)).toBe(false);
    }
  });
});
