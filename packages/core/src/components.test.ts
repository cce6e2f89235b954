import { describe, expect, it } from 'vitest';
import { ellipseMask, fixtures, u8 } from '../test/fixtures';
import { fillHoles, labelComponents, largestConnectedComponent } from './components';
import { dice } from './overlap';

describe('labelComponents / fillHoles', () => {
  it.each(fixtures.label.map((c) => [c.shape.length, c.connectivity, c] as const))(
    '%sD, connectivity %s: equals scipy.ndimage.label and binary_fill_holes',
    (_, connectivity, c) => {
      const m = u8(c.mask, c.shape);
      const { labels, count, sizes } = labelComponents(m, { connectivity });
      expect(count).toBe(c.count);
      expect(Array.from(labels)).toEqual(c.labels);
      expect(sizes.reduce((a, b) => a + b, 0)).toBe(c.mask.length);
      expect(Array.from(fillHoles(m, { connectivity }).data)).toEqual(c.filled);
    },
  );

  it('rejects a connectivity that does not fit the dimension', () => {
    expect(() => labelComponents(u8([1], [1, 1]), { connectivity: 6 })).toThrow(/4 or 8 for a 2D mask/);
  });

  it('fills the cavity of a ring but not a bay open to the border', () => {
    const ring = u8(
      [0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0, 0, 0, 0].map((v) => v),
      [5, 5],
    );
    expect(fillHoles(ring).get(2, 2)).toBe(1);
    const bay = u8([1, 1, 1, 1, 0, 1, 1, 0, 1], [3, 3]);
    expect(fillHoles(bay).get(1, 1)).toBe(0);
  });
});

describe('largestConnectedComponent', () => {
  it('keeps the largest blob and drops specks', () => {
    const big = ellipseMask(40, 40, 20, 20, 10, 10);
    const withSpecks = u8(Array.from(big.data), [40, 40]);
    withSpecks.set(1, 1, 1);
    withSpecks.set(38, 2, 1);
    withSpecks.set(2, 37, 1);
    expect(dice(largestConnectedComponent(withSpecks), big)).toBe(1);
  });

  it('treats diagonal neighbours by the connectivity and breaks ties by raster order', () => {
    const diag = u8([1, 0, 0, 0, 1, 0, 0, 0, 1], [3, 3]);
    expect(largestConnectedComponent(diag, { connectivity: 8 }).data.reduce((a, b) => a + b, 0)).toBe(3);
    const four = largestConnectedComponent(diag, { connectivity: 4 });
    expect(Array.from(four.data)).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0]);
  });

  it('returns an empty mask for an empty mask', () => {
    expect(Array.from(largestConnectedComponent(u8([0, 0, 0, 0], [2, 2])).data)).toEqual([0, 0, 0, 0]);
  });
});
