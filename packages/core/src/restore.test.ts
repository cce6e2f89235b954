import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ellipseMask, u8 } from '../test/fixtures';
import { dice } from './overlap';
import { resize } from './resize';
import { bestSigma, DEFAULT_SIGMA_GRID, restoreMask } from './restore';

/** A ring (myocardium-like) mask. */
function ring(h: number, w: number): ReturnType<typeof ellipseMask> {
  const outer = ellipseMask(h, w, h / 2, w / 2, h * 0.4, w * 0.4);
  const inner = ellipseMask(h, w, h / 2, w / 2, h * 0.27, w * 0.27);
  return u8(
    Array.from(outer.data, (v, i) => v & (1 - inner.data[i])),
    [h, w],
  );
}

describe('restoreMask', () => {
  it('with σ = 0 is the nearest-neighbour resize', () => {
    const low = ring(12, 12);
    const restored = restoreMask(low, [30, 30], { sigma: 0 });
    const nearest = resize(low, [30, 30], { method: 'nearest' });
    expect(Array.from(restored.data)).toEqual(Array.from(nearest.data, (v) => (v >= 0.5 ? 1 : 0)));
  });

  it('smooths the staircase of an upsampled ring so it matches the true ring better', () => {
    const truth = ring(120, 120);
    const low = resize(truth, [20, 20], { method: 'nearest' });
    const blocky = dice(restoreMask(low, [120, 120], { sigma: 0 }), truth);
    const smooth = dice(restoreMask(low, [120, 120], { sigma: 3 }), truth);
    expect(smooth).toBeGreaterThan(blocky);
  });

  it('property: restoring at the same size with σ = 0 returns the mask', () => {
    fc.assert(
      fc.property(fc.integer({ min: 6, max: 40 }), (n) => {
        const m = ring(n, n);
        expect(Array.from(restoreMask(m, [n, n], { sigma: 0 }).data)).toEqual(Array.from(m.data));
      }),
    );
  });

  it('rejects a negative σ', () => {
    expect(() => restoreMask(ring(6, 6), [6, 6], { sigma: -1 })).toThrow(/sigma/);
  });
});

describe('bestSigma', () => {
  it('tries the grid and returns the σ with the best Dice (smaller on ties)', () => {
    const truth = ring(90, 90);
    const low = resize(truth, [30, 30], { method: 'area' });
    const best = bestSigma(low, truth);
    expect(DEFAULT_SIGMA_GRID).toContain(best.sigma);
    for (const sigma of DEFAULT_SIGMA_GRID) {
      expect(dice(restoreMask(low, [90, 90], { sigma }), truth)).toBeLessThanOrEqual(best.dice);
    }
    // a mask already at full size: σ = 0 is perfect and wins the tie
    expect(bestSigma(truth, truth)).toEqual({ sigma: 0, dice: 1 });
  });

  it('rejects an empty grid', () => {
    expect(() => bestSigma(ring(6, 6), ring(6, 6), { grid: [] })).toThrow(/grid is empty/);
  });
});
