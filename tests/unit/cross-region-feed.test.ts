import { describe, expect, it } from 'vitest';
import { english } from '../support/messages.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { crossRegionFeed } from '../../core/feeds/cross-region/feed.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h(${p})` };
const base = {
  caseId: 'KY1',
  type: 'received',
  at: '2022-03-04T10:00:00+08:00',
  partnerRegion: '广东省深圳市南山区',
  direction: 'outbound',
};

const errorsOf = (raw: unknown): string[] => {
  const r = crossRegionFeed.normalize(raw, ctx);
  return r.ok ? [] : english(r.errors);
};

describe('crossRegion feed validation', () => {
  it('accepts English field names and codes', () => {
    const r = crossRegionFeed.normalize({ ...base, itemCode: '430102-001', itemName: '营业执照设立登记' }, ctx);
    expect(r).toEqual({
      ok: true,
      record: {
        id: expect.any(String),
        caseId: 'KY1',
        type: 'received',
        at: Date.UTC(2022, 2, 4, 2),
        partnerRegion: '广东省深圳市南山区',
        direction: 'outbound',
        itemCode: '430102-001',
        itemName: '营业执照设立登记',
      },
    });
  });

  it('accepts Chinese column names and labels, with local times written the bureau’s way', () => {
    const r = crossRegionFeed.normalize(
      {
        办件编号: 'KY2',
        环节: '办结',
        时间: '2022-03-04 10:00',
        合作地区: '湘潭市岳塘区',
        方向: '异地收件、本地办理',
        事项编码: 'X1',
        事项名称: '社保卡申领',
      },
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      record: {
        caseId: 'KY2',
        type: 'completed',
        at: Date.UTC(2022, 2, 4, 2),
        partnerRegion: '湘潭市岳塘区',
        direction: 'inbound',
        itemCode: 'X1',
        itemName: '社保卡申领',
      },
    });
    expect(crossRegionFeed.normalize({ ...base, type: '退件' }, ctx)).toMatchObject({ ok: true, record: { type: 'returned' } });
    expect(crossRegionFeed.normalize({ ...base, type: '受理', direction: '本地收件、异地办理' }, ctx)).toMatchObject({
      ok: true,
      record: { type: 'received', direction: 'outbound' },
    });
  });

  it('accepts the receiving half of a direction, and its halves split by another separator', () => {
    const direction = (d: string) => {
      const r = crossRegionFeed.normalize({ ...base, direction: d }, ctx);
      return r.ok ? r.record.direction : english(r.errors);
    };
    expect(direction('本地收件')).toBe('outbound');
    expect(direction('异地收件')).toBe('inbound');
    expect(direction('本地收件，异地办理')).toBe('outbound');
    expect(direction('异地收件 / 本地办理')).toBe('inbound');
    expect(direction('异地收件,本地办理')).toBe('inbound');
  });

  it('refuses a direction that does not say which side received the application', () => {
    for (const d of ['异地办理', '本地办理', '本地', 'out', '本地收件、本地办理']) {
      expect(errorsOf({ ...base, direction: d })).toEqual([
        `direction (方向): "${d}" is not one of outbound/本地收件、异地办理, inbound/异地收件、本地办理 (or 本地收件 / 异地收件)`,
      ]);
    }
  });

  it('derives the same id for the same case record in either language, and keeps a given id', () => {
    const a = crossRegionFeed.normalize(base, ctx);
    const b = crossRegionFeed.normalize(
      { 办件编号: 'KY1', 环节: '受理', 时间: '2022-03-04T02:00:00Z', 合作地区: '广东省深圳市南山区', 方向: '本地收件' },
      ctx,
    );
    expect(a.ok && b.ok && a.record.id === b.record.id).toBe(true);
    const c = crossRegionFeed.normalize({ ...base, type: 'completed' }, ctx);
    expect(a.ok && c.ok && a.record.id !== c.record.id).toBe(true);
    expect(crossRegionFeed.normalize({ ...base, id: 'EXT-7' }, ctx)).toMatchObject({ ok: true, record: { id: 'EXT-7' } });
    expect(crossRegionFeed.normalize({ ...base, 编号: 'EXT-8' }, ctx)).toMatchObject({ ok: true, record: { id: 'EXT-8' } });
  });

  it('names every missing required field in English and Chinese', () => {
    expect(errorsOf({ itemCode: 'X1' })).toEqual([
      'caseId (办件编号): is required',
      'type (环节): is required',
      'at (时间): is required',
      'partnerRegion (合作地区): is required',
      'direction (方向): is required',
    ]);
    // An empty cell is an absent field.
    expect(errorsOf({ ...base, partnerRegion: '  ' })).toEqual(['partnerRegion (合作地区): is required']);
  });

  it('reports every bad value of a record at once', () => {
    const errors = errorsOf({
      id: 'x'.repeat(129),
      caseId: 'K'.repeat(129),
      type: 'signed',
      at: '2022-02-30 10:00',
      partnerRegion: '地'.repeat(129),
      direction: 'both',
      itemCode: 'C'.repeat(65),
      itemName: { name: '社保卡申领' },
    });
    expect(errors).toHaveLength(8);
    expect(errors[0]).toBe('id (编号): is longer than 128 characters');
    expect(errors[1]).toBe('caseId (办件编号): is longer than 128 characters');
    expect(errors[2]).toBe('type (环节): "signed" is not one of received/受理, completed/办结, returned/退件');
    expect(errors[3]).toBe('at (时间): "2022-02-30 10:00" is not a valid ISO 8601 date-time');
    expect(errors[4]).toBe('partnerRegion (合作地区): is longer than 128 characters');
    expect(errors[5]).toMatch(/^direction \(方向\): "both" is not one of/);
    expect(errors[6]).toBe('itemCode (事项编码): is longer than 64 characters');
    expect(errors[7]).toBe('itemName (事项名称): expected text, got object');
  });

  it('refuses a time that is not a string', () => {
    expect(errorsOf({ ...base, at: 1646359200000 })).toEqual(['at (时间): expected an ISO 8601 date-time string, got number']);
  });

  it('refuses what is not an object', () => {
    expect(crossRegionFeed.normalize('KY1,received', ctx)).toEqual({ ok: false, errors: [{ code: 'record.not_object' }] });
    expect(crossRegionFeed.normalize(null, ctx).ok).toBe(false);
    expect(crossRegionFeed.normalize([base], ctx).ok).toBe(false);
  });

  it('ignores unknown columns', () => {
    expect(crossRegionFeed.normalize({ ...base, 备注: '加急' }, ctx)).toMatchObject({ ok: true });
  });

  it('keys case records by case and type', () => {
    const r = crossRegionFeed.normalize({ ...base, type: 'returned' }, ctx);
    expect(r.ok && crossRegionFeed.naturalKey(r.record)).toBe('KY1|returned');
  });
});
