import { seededRandom } from '@myoseg/core';
import ndarray from 'ndarray';
import type { LabeledSlice } from '../src/pipeline/labeled-slice';

/**
 * A tiny cohort of short-axis-like slices for pipeline tests: a bright LV cavity (3) in a darker myocardium
 * ring (2), an RV crescent (1), noise, the heart placed and sized at random (seeded).
 */
export function syntheticSlices(options: {
  patients: number;
  slicesPerPatient: number;
  size: [number, number];
  seed: number;
}): LabeledSlice[] {
  const random = seededRandom(options.seed);
  const [h, w] = options.size;
  const groups = ['NOR', 'MINF', 'DCM', 'HCM', 'RV'];
  const out: LabeledSlice[] = [];
  for (let p = 0; p < options.patients; p++) {
    const cy = h * (0.35 + 0.3 * random());
    const cx = w * (0.35 + 0.3 * random());
    for (let s = 0; s < options.slicesPerPatient; s++) {
      const rIn = Math.min(h, w) * (0.08 + 0.05 * random());
      const rOut = rIn * (1.4 + 0.3 * random());
      const image = ndarray(new Float32Array(h * w), [h, w]);
      const mask = ndarray(new Uint8Array(h * w), [h, w]);
      for (let y = 0; y < h; y++)
        for (let x = 0; x < w; x++) {
          const r = Math.hypot(y - cy, x - cx);
          const rv = Math.hypot(y - cy, x - (cx - rOut * 1.6));
          const label = r < rIn ? 3 : r < rOut ? 2 : rv < rOut * 1.1 && r > rOut * 1.15 ? 1 : 0;
          const base = [0.25, 0.85, 0.35, 0.95][label];
          image.set(y, x, base + 0.08 * (random() - 0.5));
          mask.set(y, x, label);
        }
      out.push({
        image,
        mask,
        patientId: `patient${String(p + 1).padStart(3, '0')}`,
        group: groups[p % 5],
        spacing: [1.5, 1.5],
      });
    }
  }
  return out;
}
