import { onBeforeUnmount, onMounted, provide, ref, type InjectionKey, type Ref } from 'vue';

/** The wall's design canvas in CSS px. */
export const SCREEN_WIDTH = 1920;
export const SCREEN_HEIGHT = 1080;

/** The factor the design canvas is scaled by to fit the window (provided to charts for their pixel ratio). */
export const SCREEN_SCALE_KEY: InjectionKey<Readonly<Ref<number>>> = Symbol('screenScale');

/** Fits the 1920×1080 canvas into the window, letterboxed (never stretched), and provides the scale. */
export function useScreenScale() {
  const scale = ref(1);
  const offsetX = ref(0);
  const offsetY = ref(0);

  const fit = () => {
    const s = Math.min(window.innerWidth / SCREEN_WIDTH, window.innerHeight / SCREEN_HEIGHT);
    scale.value = s;
    offsetX.value = (window.innerWidth - SCREEN_WIDTH * s) / 2;
    offsetY.value = (window.innerHeight - SCREEN_HEIGHT * s) / 2;
  };
  fit();
  provide(SCREEN_SCALE_KEY, scale);
  onMounted(() => window.addEventListener('resize', fit));
  onBeforeUnmount(() => window.removeEventListener('resize', fit));

  return { scale, offsetX, offsetY };
}
