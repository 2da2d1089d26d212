import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
  LIVE_EVENTS_PER_WINDOW,
  type ClientToServerEvents,
  type LiveRefusal,
  type ServerToClientEvents,
} from '../../shared/socket-events.ts';
import { startTestApp, type TestApp } from '../support/app.ts';
import { createDisplayToken } from '../browser/wall-records.ts';

/**
 * The live stream on HTTP long-polling only (a screen behind a proxy that refuses WebSocket): the same
 * authentication, revocation and event budget as on WebSocket.
 */

type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let app: TestApp;
let admin: string;
const sockets: LiveSocket[] = [];

beforeAll(async () => {
  app = await startTestApp({}, { worker: false });
  admin = await app.login();
});
afterAll(async () => {
  for (const s of sockets) s.disconnect();
  await app?.close();
});

function polling(token: string): LiveSocket {
  const socket: LiveSocket = io(`${app.baseUrl}/live`, { auth: { token }, transports: ['polling'], reconnection: false, forceNew: true });
  sockets.push(socket);
  return socket;
}

const outcome = (socket: LiveSocket) =>
  new Promise<string>((resolve) => {
    socket.once('snapshot', () => resolve('snapshot'));
    socket.once('connect_error', (e) => resolve(`refused: ${e.message}`));
  });

describe('the live stream over long-polling', () => {
  it('takes a session token and a display token, and refuses a wrong one', async () => {
    const display = await createDisplayToken(app, admin, 'polling screen');
    expect(await outcome(polling(admin))).toBe('snapshot');
    const screen = polling(display.token);
    expect(await outcome(screen)).toBe('snapshot');
    expect(screen.io.engine.transport.name).toBe('polling');
    expect(await outcome(polling('not-a-token'))).toBe('refused: unauthorized');
  });

  it('disconnects a screen whose display token is revoked', async () => {
    const display = await createDisplayToken(app, admin, 'revoked polling screen');
    const screen = polling(display.token);
    expect(await outcome(screen)).toBe('snapshot');
    const disconnected = new Promise<string>((resolve) => screen.once('disconnect', resolve));
    const res = await fetch(`${app.baseUrl}/api/admin/display-tokens/${display.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin}` },
    });
    expect(res.status).toBe(204);
    expect(await disconnected).toBe('io server disconnect');
  });

  it('holds a socket to the event budget: a resync flood gets one rate-limited notice', async () => {
    const socket = polling(admin);
    let snapshots = 0;
    socket.on('snapshot', () => snapshots++);
    expect(await outcome(socket)).toBe('snapshot');
    const notice = new Promise<LiveRefusal>((resolve) => socket.once('refused', resolve));
    // On long-polling many events travel in one HTTP request: the budget counts events, not requests.
    for (let i = 0; i < 200; i++) socket.emit('resync');
    expect(await notice).toMatchObject({ event: 'resync', code: 'rate_limited' });
    for (let beats = 0; beats < 2; beats++) await new Promise((resolve) => socket.once('heartbeat', resolve));
    expect(snapshots).toBeGreaterThan(1);
    expect(snapshots).toBeLessThanOrEqual(1 + LIVE_EVENTS_PER_WINDOW);
    expect(socket.connected).toBe(true);
  });
});
