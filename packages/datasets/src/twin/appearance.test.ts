import { describe, expect, it } from 'vitest';
import { InvalidOptionError } from '../errors';
import { sampleTwinAnatomy } from './anatomy';
import { twinCohortLayout } from './cohort';
import { resolveTwinParams, type TwinParamsInput } from './params';
import { type SyntheticPatient, synthesizePatient } from './patient';

/** Small images keep the suite fast. */
const SMALL: TwinParamsInput = { imageSizes: [[96, 96]], fieldOfViewMm: [200, 200], badExposureRate: 0 };

/** Mean ED intensity of the pixels labelled `label`. */
function labelMean(p: SyntheticPatient, label: number): number {
  const { image, label: labels } = p.frames.ED;
  let sum = 0;
  let n = 0;
  labels.data.forEach((l, i) => {
    if (l === label) {
      sum += image.data[i];
      n++;
    }
  });
  return sum / n;
}

describe("appearance: 'varied'", () => {
  it("leaves 'standard' byte-identical to the default", () => {
    const a = synthesizePatient(2, { patients: 5, seed: 3, params: SMALL });
    const b = synthesizePatient(2, { patients: 5, seed: 3, params: { ...SMALL, appearance: 'standard' } });
    expect(b.frames.ED.image.data).toEqual(a.frames.ED.image.data);
    expect(a.anatomy.look).toBeUndefined();
  });

  it('draws patients whose blood/myocardium intensity ratio varies, some below 1, deterministically', () => {
    const varied = { ...SMALL, appearance: 'varied' as const };
    const ratios = Array.from({ length: 15 }, (_, i) => {
      const p = synthesizePatient(i, { patients: 15, seed: 4, params: varied });
      return labelMean(p, 3) / labelMean(p, 2);
    });
    expect(ratios.some((r) => r < 1)).toBe(true);
    expect(ratios.some((r) => r > 2.5)).toBe(true);
    const again = synthesizePatient(5, { patients: 15, seed: 4, params: varied });
    expect(labelMean(again, 3) / labelMean(again, 2)).toBe(ratios[5]);
    const other = synthesizePatient(5, { patients: 15, seed: 5, params: varied });
    expect(other.frames.ED.image.data).not.toEqual(again.frames.ED.image.data);
  });

  it('keeps the anatomy draws of the standard twin apart from the look and widens geometry', () => {
    const layout = twinCohortLayout(40);
    const standard = resolveTwinParams();
    const varied = resolveTwinParams({ appearance: 'varied' });
    const spacings = layout.map((slot) => sampleTwinAnatomy(slot, 8, varied).spacing[1]);
    expect(Math.min(...spacings)).toBeLessThan(0.7);
    const fovs = layout.map((slot) => {
      const a = sampleTwinAnatomy(slot, 8, varied);
      return Math.max(...a.size) * a.spacing[1];
    });
    expect(Math.min(...fovs)).toBeLessThan(220);
    expect(Math.max(...fovs)).toBeGreaterThan(400);
    const contrasts = new Set(layout.map((slot) => sampleTwinAnatomy(slot, 8, varied).look?.contrast));
    expect(contrasts.size).toBeGreaterThanOrEqual(3);
    // the group anatomy draws differ only by the heart scale factor
    const [s] = layout;
    const a = sampleTwinAnatomy(s, 8, standard);
    const b = sampleTwinAnatomy(s, 8, { ...varied, heartScale: 1, imageSizes: standard.imageSizes });
    expect(b.lv.radius / a.lv.radius).toBeCloseTo(b.look?.heartScale ?? 0, 6);
  });

  it('checks the appearance name', () => {
    expect(() => resolveTwinParams({ appearance: 'wild' as 'varied' })).toThrow(InvalidOptionError);
    expect(() => resolveTwinParams({ appearance: 'wild' as 'varied' })).toThrow(/appearance must be/);
  });
});
