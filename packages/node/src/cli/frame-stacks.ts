import type { SliceSample } from '@myoseg/datasets';
import type { LabeledVolume } from '@myoseg/models';
import ndarray from 'ndarray';

/** A frame's whole stack and the slice samples it was built from (in slice order). */
export interface FrameStack extends LabeledVolume {
  /** The samples of the stack, slice `z` at index `z`. */
  samples: SliceSample[];
}

/**
 * Stacks 2D samples back into one `[D, H, W]` volume per patient and phase, slices in order of their index.
 *
 * @param samples - samples of whole frames (as `toSlices` gives them); order does not matter.
 * @param geometryOf - the patient's voxel size `[dz, dy, dx]` in mm and its volumes' affine.
 * @returns one stack per patient and phase, in order of first appearance; none for no samples.
 */
export function frameStacks(
  samples: readonly SliceSample[],
  geometryOf: (patientId: string) => { spacing: readonly [number, number, number]; affine?: number[][] },
): FrameStack[] {
  const byFrame = new Map<string, SliceSample[]>();
  for (const s of samples) {
    const key = `${s.patientId}\u0000${s.phase}`;
    const stack = byFrame.get(key);
    if (stack) stack.push(s);
    else byFrame.set(key, [s]);
  }
  return [...byFrame.values()].map((stack) => {
    stack.sort((a, b) => a.slice - b.slice);
    const [h, w] = stack[0].image.shape;
    const image = new Float32Array(stack.length * h * w);
    const mask = new Uint8Array(stack.length * h * w);
    stack.forEach((s, z) => {
      image.set(s.image.data, z * h * w);
      mask.set(s.labelMap.data, z * h * w);
    });
    const { patientId, group, phase } = stack[0];
    return {
      image: ndarray(image, [stack.length, h, w]),
      mask: ndarray(mask, [stack.length, h, w]),
      patientId,
      group,
      phase,
      ...geometryOf(patientId),
      samples: stack,
    };
  });
}
