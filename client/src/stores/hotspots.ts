import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { LiveHotspot } from '@shared/analytics/hotspots.ts';
import { orderHotspots } from '../hotspot-view.ts';

/**
 * The active 未诉先办 hotspots the wall shows, fed by the `/live` socket's `hotspots` event
 * (`{ active: LiveHotspot[] }`, sent on connect and on every change): each message replaces the list whole.
 */
export const useHotspotStore = defineStore('hotspots', () => {
  /** Active hotspots in display order (level, evidence, raise time); empty before the first message. */
  const active = shallowRef<LiveHotspot[]>([]);
  /** False until the server has said which hotspots are active (an empty list is then a real "none"). */
  const received = ref(false);
  const count = computed(() => active.value.length);

  /** Replaces the list with the server's; ended ones (a non-null `end`) are not active and are left out. */
  function applyActive(message: { active: readonly LiveHotspot[] }): void {
    active.value = orderHotspots(message.active.filter((h) => h.end === null));
    received.value = true;
  }

  return { active, received, count, applyActive };
});
