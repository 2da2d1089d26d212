import { describe, expect, it } from 'vitest';
import { summariseChart } from '../../client/src/composables/chart-summary.ts';

describe('summariseChart (a canvas chart in words)', () => {
  it('names each series and its points by category, leaving gaps out', () => {
    const option = {
      xAxis: [{ type: 'category', data: ['00:00', '01:00', '02:00'] }],
      yAxis: [{ type: 'value' }],
      series: [
        { name: '今日签收', type: 'bar', data: [3, '-', 5] },
        { name: '昨日签收', type: 'line', data: [{ value: 1 }, null, 2] },
      ],
    };
    expect(summariseChart(option, 'zh-CN')).toBe('今日签收：00:00 3，02:00 5；昨日签收：00:00 1，02:00 2');
    expect(summariseChart(option, 'en')).toBe('今日签收: 00:00 3, 02:00 5; 昨日签收: 00:00 1, 02:00 2');
  });

  it('reads a horizontal ranking by its category y axis, and counts what it leaves out', () => {
    const option = {
      xAxis: [{ type: 'value' }],
      yAxis: [{ type: 'category', data: ['朝阳街道', '文艺路街道', '东岸街道'] }],
      series: [{ name: '签收', type: 'bar', data: [5, 4, 1] }],
    };
    expect(summariseChart(option, 'zh-CN', 2)).toBe('签收：朝阳街道 5，文艺路街道 4，等 1 项');
  });

  it('names pie slices by their own names, and says — for a series without a figure', () => {
    const option = {
      series: [
        { name: '渠道', type: 'pie', data: [{ name: '窗口', value: 8 }] },
        { name: '空', type: 'bar', data: ['-'] },
      ],
    };
    expect(summariseChart(option, 'en')).toBe('渠道: 窗口 8; 空: —');
  });
});
