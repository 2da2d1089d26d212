/**
 * The simulator's own bookkeeping: while generating, each feed counts what it emits per month, by
 * its own reading of KPIS.md (never by Pulse's code). Expectations for a year or a month are built
 * from these counts.
 */

/** A rate, ratio or mean as KPIS.md serves it: numerator and denominator (value = numerator / denominator). */
export interface Fraction {
  numerator: number;
  denominator: number;
}

/** What one KPI must read: a count, or a numerator and denominator. */
export type Expectation = number | Fraction;

export const fraction = (numerator: number, denominator: number): Fraction => ({ numerator, denominator });

/** Counters per month (1–12) of one feed. */
export class Tally {
  private readonly months: Map<string, number>[] = Array.from({ length: 13 }, () => new Map());

  add(month: number, field: string, n = 1): void {
    const m = this.months[month]!;
    m.set(field, (m.get(field) ?? 0) + n);
  }

  /** The count of `field` in `month`, or over the whole year when `month` is omitted. */
  get(field: string, month?: number): number {
    if (month !== undefined) return this.months[month]!.get(field) ?? 0;
    let sum = 0;
    for (let m = 1; m <= 12; m++) sum += this.months[m]!.get(field) ?? 0;
    return sum;
  }

  /** Every counter summed over the year, by field name. */
  totals(): Record<string, number> {
    const names = new Set(this.months.flatMap((m) => [...m.keys()]));
    return Object.fromEntries([...names].sort().map((name) => [name, this.get(name)]));
  }

  /** A reader of one month's counts, or of the year's. */
  reader(month?: number): (field: string) => number {
    return (field) => this.get(field, month);
  }
}
