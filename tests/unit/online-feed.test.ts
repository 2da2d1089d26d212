import { describe, expect, it } from 'vitest';
import { english } from '../support/messages.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { onlineFeed } from '../../core/feeds/online/feed.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => p };
const row = { date: '2022-03-04', itemCode: 'ITEM-001', channel: 'pc', count: 12 };

function errorsOf(raw: unknown): string[] {
  const r = onlineFeed.normalize(raw, ctx);
  return r.ok ? [] : english(r.errors);
}

describe('online feed validation', () => {
  it('accepts English field names and codes, with fullyOnline false by default', () => {
    const r = onlineFeed.normalize({ ...row, itemName: '营业执照办理', department: '市场监管局' }, ctx);
    expect(r).toEqual({
      ok: true,
      record: {
        id: expect.any(String),
        date: '2022-03-04',
        itemCode: 'ITEM-001',
        channel: 'pc',
        count: 12,
        fullyOnline: false,
        itemName: '营业执照办理',
        department: '市场监管局',
      },
    });
  });

  it('accepts Chinese column names, Chinese labels, 是/否 and a count written as digits', () => {
    const r = onlineFeed.normalize({ 日期: '2022-03-04', 事项编码: 'ITEM-002', 渠道: '掌上办', 是否全程网办: '是', 办件量: '0345' }, ctx);
    expect(r).toMatchObject({ ok: true, record: { itemCode: 'ITEM-002', channel: 'mobile', fullyOnline: true, count: 345 } });
    for (const [label, code] of [
      ['网上办', 'pc'],
      ['窗口办', 'window'],
      ['自助办', 'self_service'],
    ]) {
      expect(onlineFeed.normalize({ ...row, channel: label }, ctx)).toMatchObject({ ok: true, record: { channel: code } });
    }
    expect(onlineFeed.normalize({ ...row, fullyOnline: 'N' }, ctx)).toMatchObject({ ok: true, record: { fullyOnline: false } });
  });

  it('reads asOf as a time, local when it has no offset', () => {
    const r = onlineFeed.normalize({ ...row, asOf: '2022-03-05 08:00:00' }, ctx);
    expect(r).toMatchObject({ ok: true, record: { asOf: Date.UTC(2022, 2, 5, 0) } });
    expect(errorsOf({ ...row, asOf: 'yesterday' })).toEqual([
      expect.stringMatching(/^asOf \(统计时间\): "yesterday" is not a valid ISO 8601/),
    ]);
  });

  it('derives the same id for the same content (an absent fullyOnline is false), and keeps a given id', () => {
    const a = onlineFeed.normalize(row, ctx);
    const b = onlineFeed.normalize({ ...row, fullyOnline: false, count: '12' }, ctx);
    const c = onlineFeed.normalize({ ...row, count: 13 }, ctx);
    expect(a.ok && b.ok && a.record.id === b.record.id).toBe(true);
    expect(a.ok && c.ok && a.record.id !== c.record.id).toBe(true);
    expect(onlineFeed.normalize({ ...row, id: 'ROW-1' }, ctx)).toMatchObject({ ok: true, record: { id: 'ROW-1' } });
  });

  it('requires date, itemCode, channel and count, naming each in English and Chinese', () => {
    expect(errorsOf({ itemName: '无编码事项' })).toEqual([
      'date (日期): is required',
      'itemCode (事项编码): is required',
      'channel (渠道): is required',
      'count (办件量): is required',
    ]);
    expect(errorsOf({ ...row, count: '' })).toEqual(['count (办件量): is required']); // an empty cell is an absent field
  });

  it('refuses a date that is not a calendar day YYYY-MM-DD', () => {
    expect(errorsOf({ ...row, date: '2022-02-30' })).toEqual(['date (日期): "2022-02-30" is not a calendar day YYYY-MM-DD']);
    expect(errorsOf({ ...row, date: '2022-03-04T10:00:00' })[0]).toMatch(/is not a calendar day/);
    expect(errorsOf({ ...row, date: 20220304 })).toEqual(['date (日期): expected a date YYYY-MM-DD, got number']);
  });

  it('refuses an unknown channel and a bad boolean', () => {
    expect(errorsOf({ ...row, channel: 'fax' })).toEqual([
      expect.stringMatching(/^channel \(渠道\): "fax" is not one of pc\/网上办, mobile\/掌上办/),
    ]);
    expect(errorsOf({ ...row, fullyOnline: 'maybe' })).toEqual([
      expect.stringMatching(/^fullyOnline \(是否全程网办\): "maybe" is not a boolean/),
    ]);
  });

  it('refuses negative, fractional and non-numeric counts, each with its reason', () => {
    expect(errorsOf({ ...row, count: -3 })).toEqual(['count (办件量): -3 is negative; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: '-3' })).toEqual(['count (办件量): -3 is negative; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: 2.5 })).toEqual(['count (办件量): 2.5 is not a whole number; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: '2.5' })).toEqual(['count (办件量): 2.5 is not a whole number; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: '12件' })).toEqual(['count (办件量): "12件" is not a number; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: true })).toEqual(['count (办件量): true is not a number; expected a whole number ≥ 0']);
    expect(errorsOf({ ...row, count: Number.NaN })[0]).toMatch(/NaN is not a number/);
    expect(errorsOf({ ...row, count: 1e20 })[0]).toMatch(/is more than 100000, the most one record may state/);
    expect(errorsOf({ ...row, count: 100_001 })).toEqual(['count (办件量): 100001 is more than 100000, the most one record may state']);
    expect(onlineFeed.normalize({ ...row, count: 100_000 }, ctx)).toMatchObject({ ok: true, record: { count: 100_000 } });
    expect(onlineFeed.normalize({ ...row, count: 0 }, ctx)).toMatchObject({ ok: true, record: { count: 0 } });
  });

  it('reports every problem of a bad record at once', () => {
    expect(errorsOf({ date: '2022-13-01', itemCode: 'X', channel: 'fax', count: -1 })).toHaveLength(3);
  });

  it('refuses what is not an object', () => {
    expect(onlineFeed.normalize('2022-03-04,X,pc,1', ctx)).toEqual({ ok: false, errors: [{ code: 'record.not_object' }] });
    expect(onlineFeed.normalize(null, ctx).ok).toBe(false);
  });

  it('keys rows by date, item and channel', () => {
    const r = onlineFeed.normalize({ ...row, channel: '掌上办', asOf: '2022-03-05T08:00:00+08:00' }, ctx);
    expect(r.ok && onlineFeed.naturalKey(r.record)).toBe('2022-03-04|ITEM-001|mobile');
  });
});
