import type { VolumeResult } from '@myoseg/models';
import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { frameMeasures, slicesFound } from './label-outputs';

/** A frame of 2 slices of 4×4 whose myocardium has `myo` voxels and whose localizer region has `region`. */
function frame(myo: number, region: number): VolumeResult {
  const mask = new Uint8Array(32).fill(1, 0, myo);
  const regionMask = (n: number) => ndarray(new Uint8Array(16).fill(1, 0, n), [4, 4]);
  const half = Math.min(region, 16);
  return {
    mask: ndarray(mask, [2, 4, 4]),
    slices: [regionMask(half), regionMask(region - half)].map((r) => ({ regionMask: r })),
  } as unknown as VolumeResult;
}

describe('frameMeasures', () => {
  it('gives volumes, mass at 1.05 g/ml and the LV cavity, with ED and ES at its largest and smallest', () => {
    const rows = frameMeasures([frame(4, 20), frame(6, 12), frame(4, 30)], [0, 5, 9], [10, 1, 1]);
    expect(rows.map((r) => [r.frame, r.phase, r.myocardiumMl, r.lvCavityMl])).toEqual([
      [0, '', 0.04, 0.16],
      [5, 'ES', 0.06, 0.06],
      [9, 'ED', 0.04, 0.26],
    ]);
    expect(rows[1].myocardiumG).toBeCloseTo(0.063, 12);
  });

  it('names no phase for one frame or a flat curve; counts slices with myocardium', () => {
    expect(frameMeasures([frame(4, 20)], [0], [1, 1, 1])[0].phase).toBe('');
    expect(frameMeasures([frame(4, 20), frame(4, 20)], [0, 1], [1, 1, 1]).map((r) => r.phase)).toEqual([
      '',
      '',
    ]);
    expect(slicesFound(frame(20, 0).mask)).toBe(2);
    expect(slicesFound(frame(0, 0).mask)).toBe(0);
  });
});
