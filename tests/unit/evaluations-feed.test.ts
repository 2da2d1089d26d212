import { describe, expect, it } from 'vitest';
import { english } from '../support/messages.ts';
import type { NormalizeContext } from '../../shared/feeds/feed.ts';
import { evaluationsFeed } from '../../core/feeds/evaluations/feed.ts';

const ctx: NormalizeContext = { tz: 'Asia/Shanghai', hashPhone: (p) => `h(${p})` };
const base = { id: 'PJ1', at: '2022-03-04T10:00:00+08:00', rating: 5 };

const errorsOf = (raw: unknown): string[] => {
  const r = evaluationsFeed.normalize(raw, ctx);
  return r.ok ? [] : english(r.errors);
};
const ratingOf = (rating: unknown) => {
  const r = evaluationsFeed.normalize({ ...base, rating }, ctx);
  return r.ok ? r.record.rating : english(r.errors);
};
const RATING_CHOICES = '5/非常满意, 4/满意, 3/基本满意, 2/不满意, 1/非常不满意';

describe('evaluations feed validation', () => {
  it('accepts English field names and codes', () => {
    const r = evaluationsFeed.normalize({ ...base, channel: 'kiosk', department: '区市场监管局', hall: '区政务服务大厅' }, ctx);
    expect(r).toEqual({
      ok: true,
      record: { id: 'PJ1', at: Date.UTC(2022, 2, 4, 2), rating: 5, channel: 'kiosk', department: '区市场监管局', hall: '区政务服务大厅' },
    });
  });

  it('accepts Chinese column names and labels', () => {
    const r = evaluationsFeed.normalize(
      {
        评价编号: 'PJ2',
        评价时间: '2022-03-04 09:15',
        评价等级: '不满意',
        评价渠道: '短信',
        部门: '区人社局',
        大厅: '文艺路街道政务服务中心',
      },
      ctx,
    );
    expect(r).toMatchObject({
      ok: true,
      record: {
        id: 'PJ2',
        at: Date.UTC(2022, 2, 4, 1, 15),
        rating: 2,
        channel: 'sms',
        department: '区人社局',
        hall: '文艺路街道政务服务中心',
      },
    });
    for (const [label, channel] of [
      ['窗口', 'window'],
      ['网站', 'pc'],
      ['移动端', 'mobile'],
      ['自助终端', 'kiosk'],
    ] as const) {
      expect(evaluationsFeed.normalize({ ...base, 评价渠道: label }, ctx)).toMatchObject({ ok: true, record: { channel } });
    }
  });

  it('takes a rating as a number, a digit string or its label', () => {
    expect([1, 2, 3, 4, 5].map(ratingOf)).toEqual([1, 2, 3, 4, 5]);
    expect(['1', ' 2 ', '3', '4', '5'].map(ratingOf)).toEqual([1, 2, 3, 4, 5]);
    expect(['非常不满意', '不满意', '基本满意', '满意', '非常满意'].map(ratingOf)).toEqual([1, 2, 3, 4, 5]);
  });

  it('gives one rating the same content whichever way it was written, so a re-send is a duplicate', () => {
    const forms = [5, '5', '非常满意'].map((rating) => evaluationsFeed.normalize({ ...base, rating }, ctx));
    expect(new Set(forms.map((r) => JSON.stringify(r))).size).toBe(1);
  });

  it('refuses a rating outside 1–5 or a label of another scale', () => {
    for (const bad of [0, 6, 4.5, -1, '0', '6', '4.5', '五', '好评', 'satisfied', true]) {
      expect(ratingOf(bad)).toEqual([`rating (评价等级): "${String(bad)}" is not a rating 1–5 (${RATING_CHOICES})`]);
    }
  });

  it('requires the id here: a rating without one is refused, not given a derived id', () => {
    expect(errorsOf({ at: base.at, rating: 4 })).toEqual(['id (评价编号): is required']);
    expect(errorsOf({})).toEqual(['id (评价编号): is required', 'at (评价时间): is required', 'rating (评价等级): is required']);
  });

  it('reports every bad value of a record at once', () => {
    const errors = errorsOf({
      id: 'x'.repeat(129),
      at: '2022-03-04T25:00:00',
      rating: 7,
      channel: 'wechat',
      department: 'D'.repeat(129),
      hall: 'H'.repeat(65),
    });
    expect(errors).toEqual([
      'id (评价编号): is longer than 128 characters',
      'at (评价时间): "2022-03-04T25:00:00" is not a valid ISO 8601 date-time',
      `rating (评价等级): "7" is not a rating 1–5 (${RATING_CHOICES})`,
      'channel (评价渠道): "wechat" is not one of window/窗口, pc/网站, mobile/移动端, kiosk/自助终端, sms/短信',
      'department (部门): is longer than 128 characters',
      'hall (大厅): is longer than 64 characters',
    ]);
  });

  it('refuses what is not an object', () => {
    expect(evaluationsFeed.normalize('PJ1,5', ctx)).toEqual({ ok: false, errors: [{ code: 'record.not_object' }] });
    expect(evaluationsFeed.normalize([base], ctx).ok).toBe(false);
  });

  it('keys ratings by id', () => {
    const r = evaluationsFeed.normalize(base, ctx);
    expect(r.ok && evaluationsFeed.naturalKey(r.record)).toBe('PJ1');
  });
});
