import { describe, expect, it } from 'vitest';
import { generateYear } from '../../scripts/simulator/year.ts';

describe('the generator’s seasonality knob (scripts/simulator/context.ts)', () => {
  it('moves a year’s counts between months, keeps its totals, and changes nothing when left out', () => {
    const plain = generateYear({ year: 2024, seed: 9, scale: 0.02 });
    const zero = generateYear({ year: 2024, seed: 9, scale: 0.02, seasonality: 0 });
    const seasonal = generateYear({ year: 2024, seed: 9, scale: 0.02, seasonality: 0.3 });
    expect(zero.feeds.hotline).toEqual(plain.feeds.hotline);
    expect(seasonal.expected.kpis['hotline.signed']).toBe(plain.expected.kpis['hotline.signed']);
    expect(seasonal.expected.kpis['hall.taken']).toBe(plain.expected.kpis['hall.taken']);
    const monthly = (y: typeof plain) => Object.values(y.expected.monthly).map((m) => m['hall.taken']);
    expect(monthly(seasonal)).not.toEqual(monthly(plain));
  });
});
