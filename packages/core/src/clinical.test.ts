import { describe, expect, it } from 'vitest';
import { u8 } from '../test/fixtures';
import { ejectionFraction, volumeMl } from './clinical';

describe('volumeMl / ejectionFraction', () => {
  it('multiplies the voxel count by the voxel volume', () => {
    const m = u8([1, 1, 0, 1, 0, 0, 0, 1], [2, 2, 2]);
    // 4 voxels × 10 mm × 1.5 mm × 1.5 mm = 90 mm³
    expect(volumeMl(m, [10, 1.5, 1.5])).toBeCloseTo(0.09, 12);
    expect(volumeMl(u8([0, 0], [1, 2]), [10, 1, 1])).toBe(0);
  });

  it('needs a [dz, dy, dx] spacing', () => {
    expect(() => volumeMl(u8([1], [1, 1]), [1, 1])).toThrow(/expected 3/);
  });

  it('computes EF in percent and rejects a non-positive EDV', () => {
    expect(ejectionFraction(150, 60)).toBeCloseTo(60, 12);
    expect(() => ejectionFraction(0, 0)).toThrow(/edVolume/);
  });
});
