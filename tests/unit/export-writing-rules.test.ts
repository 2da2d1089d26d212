import { describe, expect, it } from 'vitest';
import {
  applyRule,
  defaultRule,
  writeApprox,
  writeDec1,
  writeFloor,
  writeFloorPct,
  writeInt,
  writePct,
  writePct2,
} from '../../core/export/writing-rules.ts';

const rate = (numerator: number, denominator: number) => ({
  value: denominator === 0 ? null : numerator / denominator,
  numerator,
  denominator,
});

describe('writing rules (REPORT.md, How figures are written)', () => {
  it('writes counts as exact integers without separators', () => {
    expect(writeInt(713752)).toBe('713752');
    expect(writeInt(0)).toBe('0');
    expect(writeInt(null)).toBeNull();
  });

  it('floors multiples: 713752 / 38383 = 18.6 → 18, exact integers stay, under 1 is not written', () => {
    expect(writeFloor(rate(713752, 38383))).toBe('18');
    expect(writeFloor(rate(38383 * 18, 38383))).toBe('18');
    expect(writeFloor(rate(38383 * 19 - 1, 38383))).toBe('18');
    expect(writeFloor(rate(1, 1))).toBe('1');
    expect(writeFloor(rate(99, 100))).toBeNull();
    expect(writeFloor(rate(5, 0))).toBeNull();
    expect(writeFloor({ value: 18.6 })).toBe('18');
  });

  it('rounds rates to an integer percent: 87.02% → 87%, 87.5% → 88%, 87.49% → 87%', () => {
    expect(writePct(rate(2380, 2735))).toBe('87%');
    expect(writePct(rate(875, 1000))).toBe('88%');
    expect(writePct(rate(8749, 10000))).toBe('87%');
    expect(writePct(rate(0, 10))).toBe('0%');
    expect(writePct(rate(10, 10))).toBe('100%');
    expect(writePct(rate(9995, 10000))).toBe('100%');
    // 0.865 × 100 is 86.49999… in binary floating point; the integer path still rounds half up.
    expect(writePct(rate(865, 1000))).toBe('87%');
    expect(writePct({ value: 0.8702 })).toBe('87%');
  });

  it('floors rates quoted with 以上: 99.16% → 99%以上, 99.999% → 99%以上, 100% has nothing above it', () => {
    expect(writeFloorPct(rate(2712, 2735))).toBe('99%以上');
    expect(writeFloorPct(rate(9916, 10000))).toBe('99%以上');
    expect(writeFloorPct(rate(99999, 100000))).toBe('99%以上');
    expect(writeFloorPct(rate(99, 100))).toBe('99%以上');
    expect(writeFloorPct(rate(2735, 2735))).toBe('100%');
    expect(writeFloorPct(rate(0, 3))).toBe('0%以上');
    // 0.29 × 100 = 28.999999999999996 in floating point: floored from the integers it is 29.
    expect(writeFloorPct(rate(29, 100))).toBe('29%以上');
  });

  it('writes approximate magnitudes floored with 余: 2043.4 → 2000余', () => {
    expect(writeApprox(2043.4)).toBe('2000余');
    expect(writeApprox(2099.99)).toBe('2000余');
    expect(writeApprox(2000)).toBe('2000');
    expect(writeApprox(100.5)).toBe('100余');
    expect(writeApprox(99.9)).toBe('90余');
    expect(writeApprox(87.5)).toBe('80余');
    expect(writeApprox(7.5)).toBe('7余');
    expect(writeApprox(0)).toBe('0');
    expect(writeApprox(123456.7)).toBe('123400余');
    expect(writeApprox(null)).toBeNull();
  });

  it('never writes a null rate (no denominator): every rule gives null', () => {
    for (const rule of ['int', 'floor', 'round', 'dec1', 'pct', 'floorPct', 'pct2', 'approx'] as const) {
      expect(applyRule(rule, rate(0, 0)), rule).toBeNull();
    }
  });

  it('writes means with one decimal and table rates with two', () => {
    expect(writeDec1(12.345)).toBe('12.3');
    expect(writeDec1(12)).toBe('12');
    expect(writePct2(rate(2380, 2735))).toBe('87.02%');
    expect(writePct2(rate(1, 1))).toBe('100.00%');
  });

  it('defaults to exact counts and rounded rates; other kinds must name their rule', () => {
    expect(defaultRule('count')).toBe('int');
    expect(defaultRule('rate')).toBe('pct');
    expect(defaultRule('cohortRate')).toBe('pct');
    expect(defaultRule('ratio')).toBeNull();
    expect(defaultRule('mean')).toBeNull();
  });
});
