import { LIVE_NAMESPACE, type ClientToServerEvents, type ImportProgress, type ServerToClientEvents } from '@shared/socket-events.ts';
import { io, type Socket } from 'socket.io-client';
import { liveSocketOptions } from '../../live-socket.ts';

/**
 * Follows one import's progress over the live stream (`import:watch` → `import:progress`, room
 * `import:<id>`), calling `onProgress` with the state at once and with every change until it is done
 * or failed. Returns a function that stops watching. The console's own socket: the wall's store is
 * left alone.
 */
export function watchImport(token: string, importId: string, onProgress: (progress: ImportProgress) => void): () => void {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(LIVE_NAMESPACE, liveSocketOptions(token));
  const deliver = (p: ImportProgress | null) => {
    if (!p || p.importId !== importId) return;
    onProgress(p);
    if (p.phase === 'done' || p.phase === 'failed') socket.disconnect();
  };
  socket.on('import:progress', deliver);
  // (Re)joining the room after every (re)connection: a server restart loses rooms.
  socket.on('connect', () => socket.emit('import:watch', importId, deliver));
  return () => socket.disconnect();
}
