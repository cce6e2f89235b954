import type { Mask } from '@myoseg/core';
import { type NiftiImage, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { InputFileError } from './errors';
import { niftiStem } from './file-names';
import { sliceLayout } from './nifti-slice';

/**
 * The name of the model's mask of one frame of an image, as `myoseg segment` names its outputs:
 * `<stem>_myo.nii.gz`, or `<stem>_tNN_myo.nii.gz` for frame `NN` (from 0) of a 4D cine.
 */
export function maskFileName(imageName: string, frame: number, frames: number): string {
  const suffix = frames > 1 ? `_t${String(frame).padStart(2, '0')}` : '';
  return `${niftiStem(imageName)}${suffix}_myo.nii.gz`;
}

/**
 * The model's masks of one frame's slices as a gzipped NIfTI file: uint8 0/1, `[D, H, W]` (`[H, W]` for a 2D
 * image), with the image's affine and spacing, so that viewers overlay it on the image.
 *
 * @param masks - one `[H, W]` mask per slice, in slice order.
 * @throws {@link InputFileError} naming the image when the masks' count or shape differs from its slices'.
 */
export function maskFile(masks: readonly Mask[], image: NiftiImage, imageName: string): Uint8Array {
  const { slices, height, width } = sliceLayout(image.shape, imageName);
  const plane = height * width;
  if (masks.length !== slices || masks.some((m) => m.shape[0] !== height || m.shape[1] !== width)) {
    throw new InputFileError(imageName, `expected ${slices} mask(s) of ${height}×${width} to save`);
  }
  const data = new Uint8Array(slices * plane);
  masks.forEach((m, k) => {
    for (let y = 0; y < height; y++)
      for (let x = 0; x < width; x++) data[k * plane + y * width + x] = m.get(y, x) ? 1 : 0;
  });
  const shape = image.shape.length === 2 ? [height, width] : [slices, height, width];
  return writeNifti(ndarray(data, shape), {
    datatype: 'uint8',
    affine: image.affine,
    spacing: image.spacing.slice(-shape.length),
  });
}
