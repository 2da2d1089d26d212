import { describe, expect, it } from 'vitest';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postToRobot, redAlertText } from '../../core/services/alert-service.ts';
import { alertLevel, tickerItemOf } from '../../shared/feeds/wall.ts';

describe('alertLevel', () => {
  const rate = { direction: 'below' as const, yellow: 0.87, orange: 0.8, red: 0.7 };
  const count = { direction: 'above' as const, yellow: 1, orange: 5, red: 10 };
  it('reaches a level at its threshold, in either direction', () => {
    expect(alertLevel(0.8701, rate)).toBeNull();
    expect(alertLevel(0.87, rate)).toBe('yellow');
    expect(alertLevel(0.8, rate)).toBe('orange');
    expect(alertLevel(0.7, rate)).toBe('red');
    expect(alertLevel(0, count)).toBeNull();
    expect(alertLevel(1, count)).toBe('yellow');
    expect(alertLevel(9, count)).toBe('orange');
    expect(alertLevel(10, count)).toBe('red');
  });
  it('gives no level to a null rate (no denominator is not a bad figure)', () => {
    expect(alertLevel(null, rate)).toBeNull();
    expect(alertLevel(undefined, rate)).toBeNull();
  });
});

describe('the robot message', () => {
  it('names the figure in Chinese with its value as the wall writes it', () => {
    expect(redAlertText('hotline.resolutionRate', { value: 0.6512, numerator: 56, denominator: 86 }, '芙蓉区')).toBe(
      '【红色预警】问题解决率：65.1%（芙蓉区政务服务效能监测）',
    );
    expect(redAlertText('hall.waitingNow', { value: 120 }, '芙蓉区')).toBe('【红色预警】当前等候人数：120人（芙蓉区政务服务效能监测）');
    // No bureau name set: the product's name alone, no name written into the code.
    expect(redAlertText('hall.waitingNow', { value: 120 })).toBe('【红色预警】当前等候人数：120人（政务服务效能监测）');
  });
});

describe('tickerItemOf', () => {
  it('keeps the place and subject words of a record and never a personal field', () => {
    // A validated record holds its time as epoch milliseconds; the item carries it as an ISO instant.
    const at = Date.parse('2026-11-27T01:00:00Z');
    const item = tickerItemOf(
      'hotline',
      { id: 'x', ticketId: 'T-1', type: 'signed', at, street: '朝阳街道', category: '城市管理', callerPhone: 'hmac…' },
      'b:0',
    );
    expect(item).toEqual({ id: 'b:0', feed: 'hotline', at: '2026-11-27T01:00:00.000Z', type: 'signed', labels: ['朝阳街道', '城市管理'] });
    expect(tickerItemOf('evaluations', { id: 'e', at, rating: 5, channel: 'window' }, 'b:1')).toMatchObject({
      type: '5',
      labels: ['window'],
    });
  });
});

describe('the robot webhook', () => {
  it('does not follow a redirect: the alert goes to the configured address or nowhere', async () => {
    const hits: string[] = [];
    const server = createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/hook') res.writeHead(307, { location: '/elsewhere' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as AddressInfo;
    await expect(postToRobot(`http://127.0.0.1:${port}/hook`, { msgtype: 'text' })).rejects.toThrow(/redirect/i);
    await new Promise((r) => server.close(r));
    expect(hits).toEqual(['/hook']);
  });
});
