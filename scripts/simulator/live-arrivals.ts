import { MINUTE_MS, calendarDayOf } from './calendar.ts';
import { drawCase } from './cross-region.ts';
import { drawTicket, settleTicket, type Ticket } from './hotline.ts';
import type { Rng } from './random.ts';

/**
 * The live stream's draws of a ticket or a case arriving now: the year model's draw moved to the arrival (wall ms),
 * with the live stream's own timing where a day's model would be too coarse.
 */

/** A 12345 ticket received at `arrival`: signed within minutes mostly, half of them simple matters closed within the hour. */
export function drawLiveTicket(
  rng: Rng,
  arrival: number,
  recentCallers: Map<string, string[]>,
  where?: { category: string; street: string },
): Ticket {
  const t = drawTicket(rng, calendarDayOf(arrival).startMs, recentCallers);
  if (where) Object.assign(t, { category: where.category, street: where.street });
  const shift = arrival - t.received;
  for (const key of ['received', 'signed', 'responded', 'completed', 'visited', 'deadline'] as const)
    if (t[key] !== undefined) t[key] += shift;
  // Units sign most tickets within a few minutes (a few take longer, some beyond the 2-hour limit).
  const r = rng.next();
  const signGapMinutes =
    r < 0.7 ? Math.min(2, 0.15 + rng.exponential(0.7)) : r < 0.85 ? rng.float(2, 10) : r < 0.97 ? rng.float(10, 110) : rng.float(125, 300);
  const resign = Math.round(t.received + signGapMinutes * MINUTE_MS - t.signed);
  for (const key of ['signed', 'responded', 'completed', 'visited', 'deadline'] as const) if (t[key] !== undefined) t[key] += resign;
  if (rng.chance(0.5)) {
    // Simple matters (咨询, 即时办理) are closed within the hour and visited within a few hours.
    t.completed = t.responded + rng.float(5, 60) * MINUTE_MS;
    t.visited = t.completed + rng.float(10, 240) * MINUTE_MS;
  }
  settleTicket(rng, t);
  return t;
}

/** A 跨域通办 case received at `arrival`, its closing moved with it. */
export function drawLiveCase(rng: Rng, arrival: number): ReturnType<typeof drawCase> {
  const c = drawCase(rng, calendarDayOf(arrival).startMs, Infinity);
  const shift = arrival - c.received;
  c.received = arrival;
  if (c.closed !== undefined) c.closed += shift;
  return c;
}
