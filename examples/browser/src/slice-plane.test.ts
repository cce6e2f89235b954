import { describe, expect, it } from 'vitest';
import { planeOfSlices } from './slice-plane';

describe('planeOfSlices', () => {
  it('takes the world axis that the voxel k axis points along most, whatever its sign and the other columns', () => {
    const affine = (k: number[]) => [
      [1, 0, k[0], 0],
      [0, 1, k[1], 0],
      [0, 0, k[2], 0],
      [0, 0, 0, 1],
    ];
    expect(planeOfSlices(affine([0, 0, 8]))).toBe('axial');
    expect(planeOfSlices(affine([0.5, -7.9, 1]))).toBe('coronal');
    expect(planeOfSlices(affine([-6, 3, 4]))).toBe('sagittal');
  });
});
