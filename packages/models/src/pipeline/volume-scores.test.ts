import ndarray from 'ndarray';
import { describe, expect, it } from 'vitest';
import { type FrameScore, MYOCARDIUM_DENSITY_G_PER_ML, scoreVolume, summarizeFrames } from './volume-scores';

const voxel = (z: number, y: number, x: number) => {
  const m = ndarray(new Uint8Array(3 * 4 * 5), [3, 4, 5]);
  m.set(z, y, x, 1);
  return m;
};

describe('scoreVolume', () => {
  it('hand-worked: two single voxels 2 slices, 3 rows and 4 columns apart at [8, 1.5, 1.5] mm', () => {
    const s = scoreVolume(voxel(0, 0, 0), voxel(2, 3, 4), [8, 1.5, 1.5]);
    expect(s.dice).toBe(0);
    expect(s.hdMm).toBeCloseTo(Math.hypot(16, 4.5, 6), 12);
    expect(s.hd95Mm).toBeCloseTo(Math.hypot(16, 4.5, 6), 12);
    expect(s.volumeMl).toBeCloseTo(0.018, 12);
    expect(s.massG).toBeCloseTo(0.018 * MYOCARDIUM_DENSITY_G_PER_ML, 12);
    const same = scoreVolume(voxel(1, 1, 1), voxel(1, 1, 1), [8, 1.5, 1.5]);
    expect([same.dice, same.hdMm, same.massG - same.trueMassG]).toEqual([1, 0, 0]);
  });
});

describe('summarizeFrames', () => {
  const frame = (
    group: string,
    phase: 'ED' | 'ES',
    dice: number,
    hdMm: number,
    massG: number,
  ): FrameScore => ({
    patientId: `${group}${phase}`,
    group,
    phase,
    dice,
    hd95Mm: hdMm / 2,
    hdMm,
    volumeMl: massG / 1.05,
    trueVolumeMl: 10 / 1.05,
    massG,
    trueMassG: 10,
  });

  it('means per group and phase; HD means over finite frames, +∞ frames counted', () => {
    const t = summarizeFrames([
      frame('NOR', 'ED', 0.9, 4, 12),
      frame('NOR', 'ES', 0.7, Number.POSITIVE_INFINITY, 6),
      frame('DCM', 'ED', 0.8, 8, 10),
    ]);
    expect(t.all.frames).toBe(3);
    expect(t.all.dice).toBeCloseTo(0.8, 12);
    expect(t.all.hdMm).toBe(6);
    expect(t.all.hd95Mm).toBe(3);
    expect(t.all.infiniteHd).toBe(1);
    expect(t.all.massErrorG).toBeCloseTo(-2 / 3, 12);
    expect(t.all.absMassErrorG).toBeCloseTo(2, 12);
    expect(Object.keys(t.byGroup)).toEqual(['DCM', 'NOR']);
    expect(t.byGroup.NOR.dice).toBeCloseTo(0.8, 12);
    expect(t.byPhase.ED.frames).toBe(2);
    expect(t.byPhase.ES.hdMm).toBeNaN();
  });

  it('no frames: 0 frames, NaN means, no groups or phases', () => {
    const t = summarizeFrames([]);
    expect(t.all.frames).toBe(0);
    expect(t.all.dice).toBeNaN();
    expect(t.byGroup).toEqual({});
    expect(t.byPhase).toEqual({});
  });
});
