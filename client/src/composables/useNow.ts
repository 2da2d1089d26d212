import { onBeforeUnmount, onMounted, ref } from 'vue';

/** The current time, ticking on each whole second (for the title bar clock). */
export function useNow() {
  const now = ref(new Date());
  let timer: ReturnType<typeof setTimeout> | undefined;

  const tick = () => {
    now.value = new Date();
    timer = setTimeout(tick, 1000 - (Date.now() % 1000) + 5);
  };
  onMounted(tick);
  onBeforeUnmount(() => clearTimeout(timer));

  return now;
}
