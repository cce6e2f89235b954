import { describe, expect, it } from 'vitest';
import { adjustWindow, autoWindow, toGrey } from './window-level';

describe('autoWindow', () => {
  it('takes the 1st and 99th percentiles (nearest rank), ignoring outliers', () => {
    // 0..100 then one outlier: 102 values, ranks round(0.01·101) = 1 and round(0.99·101) = 100.
    const values = [...Array.from({ length: 101 }, (_, i) => i), 10_000];
    expect(autoWindow(values)).toEqual({ low: 1, high: 100 });
  });

  it('falls back to the full range, then to a unit window', () => {
    expect(autoWindow([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 9])).toEqual({ low: 5, high: 9 });
    expect(autoWindow([3, 3])).toEqual({ low: 3, high: 4 });
    expect(autoWindow([])).toEqual({ low: 0, high: 1 });
  });
});

describe('adjustWindow', () => {
  const base = { low: 100, high: 300 };
  it('is the identity at contrast 1 and brightness 0', () => {
    expect(adjustWindow(base, { contrast: 1, brightness: 0 })).toEqual(base);
  });
  it('narrows about the centre with contrast and moves down with brightness', () => {
    expect(adjustWindow(base, { contrast: 2, brightness: 0 })).toEqual({ low: 150, high: 250 });
    expect(adjustWindow(base, { contrast: 0.5, brightness: 0 })).toEqual({ low: 0, high: 400 });
    expect(adjustWindow(base, { contrast: 1, brightness: 0.25 })).toEqual({ low: 50, high: 250 });
    expect(adjustWindow(base, { contrast: 2, brightness: -0.5 })).toEqual({ low: 250, high: 350 });
  });
  it('rejects a contrast that is not positive', () => {
    expect(() => adjustWindow(base, { contrast: 0, brightness: 0 })).toThrow(RangeError);
    expect(() => adjustWindow(base, { contrast: 1, brightness: Number.NaN })).toThrow(/brightness/);
  });
});

describe('toGrey', () => {
  it('maps the window linearly to 0–255 and clamps outside it', () => {
    const grey = toGrey([50, 100, 150, 200, 300, 400], { low: 100, high: 300 });
    // (150 − 100) · 255/200 = 63.75 → 64; (200 − 100) · 255/200 = 127.5 → 128 (half to even).
    expect(Array.from(grey)).toEqual([0, 0, 64, 128, 255, 255]);
  });
});
