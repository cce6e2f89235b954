/**
 * The viewer plane that shows voxel slices `k` of a stack: the world axis the voxel `k` axis points along most
 * (the affine's column 2): x → sagittal, y → coronal, z → axial. A short-axis stack, oblique in the world, is shown
 * on the nearest of the three.
 */
export function planeOfSlices(affine: readonly (readonly number[])[]): 'sagittal' | 'coronal' | 'axial' {
  const k = [0, 1, 2].map((r) => Math.abs(affine[r][2]));
  return (['sagittal', 'coronal', 'axial'] as const)[k.indexOf(Math.max(...k))];
}
