import { HOUR_MS } from './calendar.ts';
import { HOTLINE_CATEGORIES, STREETS } from './catalogue.ts';
import { drawTicket, type Ticket } from './hotline.ts';
import type { Rng } from './random.ts';

/**
 * Injected 未诉先办 surges: a burst of one category in one street — `tickets` tickets signed within `hours` from
 * `startMs` (wall ms, as the calendar counts) — on top of the ordinary tickets, for the detector's backtest
 * (bench/hotspot-backtest.ts), generated years (`YearOptions.hotlineSurges`) and the live stream of `npm run demo`.
 */
export interface Surge {
  category: string;
  street: string;
  startMs: number;
  hours: number;
  tickets: number;
}

/** Tickets of a surge: ordinary tickets in every other respect, signed spread evenly at random over its length. */
export function surgeTickets(rng: Rng, surge: Surge): Ticket[] {
  const recent = new Map<string, string[]>();
  return Array.from({ length: surge.tickets }, () => {
    const t = drawTicket(rng, 0, recent);
    const signed = surge.startMs + Math.floor(rng.next() * surge.hours * HOUR_MS);
    const shift = signed - t.signed;
    return {
      ...t,
      category: surge.category,
      street: surge.street,
      received: t.received + shift,
      signed,
      responded: t.responded + shift,
      ...(t.completed !== undefined && { completed: t.completed + shift }),
      ...(t.visited !== undefined && { visited: t.visited + shift }),
      ...(t.deadline !== undefined && { deadline: t.deadline + shift }),
    };
  });
}

/** A surge of `tickets` within `hours` at a random (category, street), starting at `startMs`. */
export function randomSurge(rng: Rng, startMs: number, tickets = 12, hours = 48): Surge {
  const category = HOTLINE_CATEGORIES[rng.int(0, HOTLINE_CATEGORIES.length - 1)]!.name;
  return { category, street: rng.pick(STREETS), startMs, hours, tickets };
}

/**
 * A surge for the live stream (`npm run demo`): the quietest category in a random street, half the stream's
 * tickets an hour at the busiest hour (at least 15), within 10 minutes. It has to be that large: the demo's
 * history (DEMO_HISTORY_SCALE 0.2, ~150 tickets in 12 weeks) knows each series' share only roughly, so the
 * detector asks for about ten times a series' expected count before it raises it (measured: 900 tickets
 * at DEMO_RATE 20, where the quietest pair expects ~66 a day).
 */
export function liveSurge(rng: Rng, nowWall: number, hourlyTicketsAtPeak: number): Surge {
  const quietest = [...HOTLINE_CATEGORIES].sort((a, b) => a.weight - b.weight)[0]!.name;
  return { ...randomSurge(rng, nowWall, Math.max(15, Math.round(hourlyTicketsAtPeak * 0.5)), 1 / 6), category: quietest };
}
