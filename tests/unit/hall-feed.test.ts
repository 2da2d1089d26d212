import { describe, expect, it } from 'vitest';
import { english } from '../support/messages.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { DEFAULT_HALL, hallFeed } from '../../core/feeds/hall/feed.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => p };

function errorsOf(raw: unknown): string[] {
  const r = hallFeed.normalize(raw, ctx);
  return r.ok ? [] : english(r.errors);
}

describe('hall feed: queue records', () => {
  it('accepts English codes, defaulting the hall', () => {
    const r = hallFeed.normalize(
      { queueId: 'A001', type: 'taken', at: '2022-03-04T09:15:00+08:00', window: '3号窗口', service: '社保' },
      ctx,
    );
    expect(r).toEqual({
      ok: true,
      record: {
        id: expect.any(String),
        type: 'taken',
        hall: DEFAULT_HALL,
        day: '2022-03-04',
        queueId: 'A001',
        at: Date.UTC(2022, 2, 4, 1, 15),
        window: '3号窗口',
        service: '社保',
      },
    });
    expect(DEFAULT_HALL).toBe('区政务服务大厅');
  });

  it('accepts Chinese column names and labels for every step', () => {
    const steps = { 取号: 'taken', 叫号: 'called', 办结: 'served', 过号: 'abandoned' };
    for (const [label, code] of Object.entries(steps)) {
      const r = hallFeed.normalize(
        { 排队号: 'B012', 环节: label, 时间: '2022-03-04 10:00', 大厅: '文艺路街道便民服务中心', 窗口: '1', 业务类型: '医保' },
        ctx,
      );
      expect(r).toMatchObject({
        ok: true,
        record: { type: code, queueId: 'B012', hall: '文艺路街道便民服务中心', window: '1', service: '医保' },
      });
    }
  });

  it('dates a visit by the local day of its time', () => {
    const r = hallFeed.normalize({ queueId: 'A9', type: 'called', at: '2022-03-04T15:59:00Z' }, ctx); // 23:59 local
    expect(r).toMatchObject({ ok: true, record: { day: '2022-03-04' } });
    const s = hallFeed.normalize({ queueId: 'A9', type: 'called', at: '2022-03-04T16:01:00Z' }, ctx); // 00:01 local
    expect(s).toMatchObject({ ok: true, record: { day: '2022-03-05' } });
  });

  it('requires queueId, type and at, and ignores footfall fields', () => {
    expect(errorsOf({ type: 'taken' })).toEqual(['at (时间): is required', 'queueId (排队号): is required']);
    expect(errorsOf({})).toEqual(['type (环节): is required', 'at (时间): is required']);
    const r = hallFeed.normalize({ queueId: 'A1', type: 'taken', at: '2022-03-04T09:00:00', entries: 'lots', asOf: 'never' }, ctx);
    expect(r.ok).toBe(true);
    expect(r.ok && Object.keys(r.record)).not.toContain('entries');
  });

  it('refuses an unknown type, a bad time and over-long text, naming the field in English and Chinese', () => {
    expect(errorsOf({ queueId: 'A1', type: 'skipped', at: '2022-03-04T09:00:00' })).toEqual([
      expect.stringMatching(
        /^type \(环节\): "skipped" is not one of taken\/取号, called\/叫号, served\/办结, abandoned\/过号, footfall\/客流$/,
      ),
    ]);
    expect(errorsOf({ queueId: 'A1', type: 'taken', at: '2022-02-30 09:00' })).toEqual([
      'at (时间): "2022-02-30 09:00" is not a valid ISO 8601 date-time',
    ]);
    expect(errorsOf({ queueId: 'A'.repeat(65), type: 'taken', at: '2022-03-04T09:00:00', window: 'W'.repeat(65) })).toEqual([
      'queueId (排队号): is longer than 64 characters',
      'window (窗口): is longer than 64 characters',
    ]);
    expect(errorsOf({ queueId: 'A1', type: 'taken', at: 1646356800000 })).toEqual([
      'at (时间): expected an ISO 8601 date-time string, got number',
    ]);
  });

  it('derives the same id for the same content and a different one per step', () => {
    const raw = { queueId: 'A1', type: 'taken', at: '2022-03-04T09:00:00+08:00' };
    const a = hallFeed.normalize(raw, ctx);
    const b = hallFeed.normalize({ ...raw, at: '2022-03-04T01:00:00Z', hall: DEFAULT_HALL }, ctx);
    const c = hallFeed.normalize({ ...raw, type: 'called' }, ctx);
    expect(a.ok && b.ok && a.record.id === b.record.id).toBe(true);
    expect(a.ok && c.ok && a.record.id !== c.record.id).toBe(true);
    expect(hallFeed.normalize({ ...raw, id: 'Q-1' }, ctx)).toMatchObject({ ok: true, record: { id: 'Q-1' } });
  });

  it('keys queue records by hall, local date, queue number and step', () => {
    const r = hallFeed.normalize({ queueId: 'A1', type: '叫号', at: '2022-03-04T15:59:00Z' }, ctx);
    expect(r.ok && hallFeed.naturalKey(r.record)).toBe('queue|区政务服务大厅|2022-03-04|A1|called');
    const nextDay = hallFeed.normalize({ queueId: 'A1', type: '叫号', at: '2022-03-05T09:00:00+08:00' }, ctx);
    expect(nextDay.ok && hallFeed.naturalKey(nextDay.record)).toBe('queue|区政务服务大厅|2022-03-05|A1|called');
  });
});

describe('hall feed: footfall rows', () => {
  it('accepts English and Chinese forms, entries as a number or digits', () => {
    const a = hallFeed.normalize(
      { type: 'footfall', at: '2022-03-04T09:00:00+08:00', entries: 57, asOf: '2022-03-04T10:00:00+08:00' },
      ctx,
    );
    expect(a).toEqual({
      ok: true,
      record: {
        id: expect.any(String),
        type: 'footfall',
        hall: DEFAULT_HALL,
        at: Date.UTC(2022, 2, 4, 1),
        entries: 57,
        asOf: Date.UTC(2022, 2, 4, 2),
      },
    });
    const b = hallFeed.normalize({ 环节: '客流', 时间: '2022-03-04 09:00', 进入人数: '57', 大厅: '24小时自助驿站' }, ctx);
    expect(b).toMatchObject({ ok: true, record: { type: 'footfall', entries: 57, hall: '24小时自助驿站' } });
  });

  it('requires entries and at, and ignores queue fields', () => {
    expect(errorsOf({ type: 'footfall' })).toEqual(['at (时间): is required', 'entries (进入人数): is required']);
    const r = hallFeed.normalize({ type: 'footfall', at: '2022-03-04T09:00:00', entries: 3, queueId: 'A1', window: 'W'.repeat(99) }, ctx);
    expect(r.ok && r.record).toEqual({
      id: expect.any(String),
      type: 'footfall',
      hall: DEFAULT_HALL,
      at: Date.UTC(2022, 2, 4, 1),
      entries: 3,
    });
  });

  it('refuses negative, fractional and non-numeric entries, and a bad asOf', () => {
    const at = '2022-03-04T09:00:00';
    expect(errorsOf({ type: 'footfall', at, entries: -1 })).toEqual(['entries (进入人数): -1 is negative; expected a whole number ≥ 0']);
    expect(errorsOf({ type: 'footfall', at, entries: '1.5' })).toEqual([
      'entries (进入人数): 1.5 is not a whole number; expected a whole number ≥ 0',
    ]);
    expect(errorsOf({ type: 'footfall', at, entries: 'many' })).toEqual([
      'entries (进入人数): "many" is not a number; expected a whole number ≥ 0',
    ]);
    expect(errorsOf({ type: 'footfall', at, entries: 100_001 })).toEqual([
      'entries (进入人数): 100001 is more than 100000, the most one record may state',
    ]);
    expect(errorsOf({ type: 'footfall', at, entries: [5] })).toEqual([
      'entries (进入人数): [5] is not a number; expected a whole number ≥ 0',
    ]);
    expect(errorsOf({ type: 'footfall', at, entries: 1, asOf: '10:00' })).toEqual([
      expect.stringMatching(/^asOf \(统计时间\): "10:00" is not a valid/),
    ]);
  });

  it('keys footfall rows by hall and interval start', () => {
    const r = hallFeed.normalize({ type: 'footfall', at: '2022-03-04T09:00:00+08:00', entries: 1 }, ctx);
    expect(r.ok && hallFeed.naturalKey(r.record)).toBe(`footfall|区政务服务大厅|${Date.UTC(2022, 2, 4, 1)}`);
  });

  it('refuses what is not an object', () => {
    expect(hallFeed.normalize(['footfall'], ctx)).toEqual({ ok: false, errors: [{ code: 'record.not_object' }] });
  });
});
