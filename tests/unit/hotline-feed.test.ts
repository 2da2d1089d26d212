import { describe, expect, it } from 'vitest';
import { english } from '../support/messages.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { hotlineFeed } from '../../core/feeds/hotline/feed.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h(${p.slice(-4)})` };

describe('hotline feed validation', () => {
  it('accepts English codes', () => {
    const r = hotlineFeed.normalize(
      {
        ticketId: 'T1',
        type: 'visited',
        at: '2022-03-04T10:00:00+08:00',
        resolved: true,
        satisfaction: 'very_satisfied',
        street: '文艺路街道',
      },
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      record: { ticketId: 'T1', type: 'visited', at: Date.UTC(2022, 2, 4, 2), resolved: true, satisfaction: 'very_satisfied' },
    });
  });

  it('accepts Chinese labels, Chinese column names and 是/否 booleans', () => {
    const r = hotlineFeed.normalize({ 工单编号: 'T2', 环节: '回访', 时间: '2022-03-04 10:00', 是否解决: '否', 满意度: '基本满意' }, ctx);
    expect(r).toMatchObject({
      ok: true,
      record: { ticketId: 'T2', type: 'visited', resolved: false, satisfaction: 'basically_satisfied' },
    });
    const s = hotlineFeed.normalize({ ticketId: 'T2', type: '签收', at: '2022-03-04T10:00:00', urgency: '复杂', source: '微信' }, ctx);
    expect(s).toMatchObject({ ok: true, record: { type: 'signed', urgency: 'complex', source: 'wechat' } });
  });

  it('replaces the caller phone by its keyed hash', () => {
    const r = hotlineFeed.normalize({ ticketId: 'T3', type: 'signed', at: '2022-03-04T10:00:00', callerPhone: '138-1234-5678' }, ctx);
    expect(r.ok && r.record).toMatchObject({ callerHash: 'h(5678)' });
    expect(JSON.stringify(r)).not.toContain('1234');
  });

  it('derives the same id for the same content, and keeps a given id', () => {
    const raw = { ticketId: 'T4', type: 'signed', at: '2022-03-04T10:00:00+08:00' };
    const a = hotlineFeed.normalize(raw, ctx);
    const b = hotlineFeed.normalize({ ...raw, at: '2022-03-04T02:00:00Z' }, ctx);
    expect(a.ok && b.ok && a.record.id === b.record.id).toBe(true);
    expect(hotlineFeed.normalize({ ...raw, id: 'X-1' }, ctx)).toMatchObject({ ok: true, record: { id: 'X-1' } });
  });

  it('reports every problem of a bad record, naming the field in English and Chinese', () => {
    const r = hotlineFeed.normalize({ type: 'closed', at: '2022-02-30T10:00:00', satisfaction: 'great' }, ctx);
    expect(r.ok).toBe(false);
    const errors = r.ok ? [] : english(r.errors);
    expect(errors).toHaveLength(4);
    expect(errors[0]).toBe('ticketId (工单编号): is required');
    expect(errors[1]).toMatch(/^type \(环节\): "closed" is not one of received\/受理/);
    expect(errors[2]).toMatch(/^at \(时间\): "2022-02-30T10:00:00" is not a valid ISO 8601 date-time/);
    expect(errors[3]).toMatch(/^satisfaction \(满意度\): "great"/);
  });

  it('refuses follow-up answers on a milestone that is not a follow-up', () => {
    const r = hotlineFeed.normalize({ ticketId: 'T5', type: 'completed', at: '2022-03-04T10:00:00', resolved: true }, ctx);
    expect(r.ok ? [] : english(r.errors)).toEqual([expect.stringMatching(/only a visited \(回访\) milestone carries them/)]);
  });

  it('refuses what is not an object', () => {
    expect(hotlineFeed.normalize('T1,signed', ctx)).toEqual({ ok: false, errors: [{ code: 'record.not_object' }] });
    expect(hotlineFeed.normalize([1], ctx).ok).toBe(false);
  });

  it('keys milestones by ticket and type', () => {
    const r = hotlineFeed.normalize({ ticketId: 'T6', type: 'completed', at: '2022-03-04T10:00:00' }, ctx);
    expect(r.ok && hotlineFeed.naturalKey(r.record)).toBe('T6|completed');
  });
});
