import { assertDims, packedBinary } from './contiguous';
import type { NumericNdArray, Spacing } from './types';
import { assertNumber, spacingFor } from './validate';

/**
 * The volume of a mask in millilitres: voxel count × voxel volume.
 *
 * @param mask - `[D, H, W]` (a stack of short-axis slices) or `[H, W]` (one slab); any non-zero value counts.
 * @param spacing - `[dz, dy, dx]` in mm, `dz` being the slice spacing (ACDC's `pixdim[3]`).
 * @returns the volume in ml (1 ml = 1000 mm³); 0 for an empty mask.
 */
export function volumeMl(mask: NumericNdArray, spacing: Spacing): number {
  assertDims('volumeMl(mask)', mask, [2, 3]);
  const [dz, dy, dx] = spacingFor('volumeMl', spacing, 3);
  const bits = packedBinary(mask);
  let count = 0;
  for (let i = 0; i < bits.length; i++) count += bits[i];
  return (count * dz * dy * dx) / 1000;
}

/**
 * The ejection fraction in percent: (EDV − ESV) / EDV × 100, from the LV cavity volumes at end-diastole and
 * end-systole (any unit, both the same).
 *
 * @throws RangeError when EDV is not positive or either volume is negative or not finite.
 */
export function ejectionFraction(edVolume: number, esVolume: number): number {
  assertNumber('ejectionFraction: edVolume', edVolume, 0, true);
  assertNumber('ejectionFraction: esVolume', esVolume, 0);
  return ((edVolume - esVolume) / edVolume) * 100;
}
