import type { HotlineMilestone } from '../../shared/feeds/hotline.feed.ts';
import type { FeedApplier } from './feed-applier.ts';

/** Hotline milestones: one count per milestone type; follow-ups also count their answers. */
export const hotlineApplier: FeedApplier<HotlineMilestone> = {
  feed: 'hotline',
  ledgerLocation: (r) => ({ entity: r.ticketId, field: r.type }),
  countedAt: (r) => r.at,
  increments(r) {
    const out: [string, number][] = [[r.type, 1]];
    if (r.type === 'visited') {
      if (r.resolved !== undefined) {
        out.push(['visited.resolvedKnown', 1]);
        if (r.resolved) out.push(['visited.resolvedYes', 1]);
      }
      if (r.satisfaction !== undefined) out.push([`visited.sat.${r.satisfaction}`, 1]);
    }
    return out;
  },
};
