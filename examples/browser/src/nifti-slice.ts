import type { Image2D } from '@myoseg/core';
import type { NiftiImage } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { InputFileError } from './errors';

/** How a NIfTI image divides into 2D slices: `frames × slices` planes of `[height, width]` pixels. */
export interface SliceLayout {
  /** Time frames (the 4th dimension; 1 for 2D and 3D images). */
  frames: number;
  /** Slices per frame (1 for a 2D image). */
  slices: number;
  /** Rows `H` (NIfTI's `dim[2]`). */
  height: number;
  /** Columns `W` (NIfTI's `dim[1]`). */
  width: number;
}

/**
 * The slice layout of an image of row-major `shape` (`[H, W]`, `[D, H, W]` or `[T, D, H, W]`, as
 * `NiftiImage.shape` gives it).
 *
 * @param file - the file's name, for the error.
 * @throws {@link InputFileError} for fewer than 2 or more than 4 dimensions, or an empty one.
 */
export function sliceLayout(shape: readonly number[], file: string): SliceLayout {
  if (shape.length < 2 || shape.length > 4 || shape.some((n) => !(Number.isInteger(n) && n >= 1))) {
    throw new InputFileError(file, `expected a 2D, 3D or 4D image, got shape [${shape.join(', ')}]`);
  }
  const [height, width] = shape.slice(-2);
  return {
    frames: shape.length === 4 ? shape[0] : 1,
    slices: shape.length >= 3 ? shape[shape.length - 3] : 1,
    height,
    width,
  };
}

/** The index of `(frame, slice)`'s first voxel in a NIfTI image's `data`, checking both against `layout`. */
function planeStart(layout: SliceLayout, frame: number, slice: number, file: string): number {
  const check = (what: string, value: number, count: number) => {
    if (!(Number.isInteger(value) && value >= 0 && value < count)) {
      throw new InputFileError(file, `${what} ${value} is out of range (0–${count - 1})`);
    }
  };
  check('frame', frame, layout.frames);
  check('slice', slice, layout.slices);
  return (frame * layout.slices + slice) * layout.height * layout.width;
}

/**
 * One 2D slice of an image as float32 `[H, W]`: the `(i, j)` plane `slice` of time frame `frame` (both from 0), row
 * `y` = `j`, column `x` = `i` (as `@myoseg/datasets`' `toSlices`), and its pixel spacing `[dy, dx]` in mm.
 *
 * @throws {@link InputFileError} when the image is not 2D–4D or `frame`/`slice` is out of range.
 */
export function imageSlice(
  image: NiftiImage,
  frame: number,
  slice: number,
  file: string,
): { image: Image2D; spacing: [number, number] } {
  const layout = sliceLayout(image.shape, file);
  const start = planeStart(layout, frame, slice, file);
  const plane = layout.height * layout.width;
  const pixels = Float32Array.from(image.data.subarray(start, start + plane));
  const [dy, dx] = image.spacing.slice(-2);
  if (!(dy > 0 && dx > 0)) throw new InputFileError(file, `pixel spacing [${dy}, ${dx}] is not positive`);
  return { image: ndarray(pixels, [layout.height, layout.width]), spacing: [dy, dx] };
}

/**
 * One 2D slice of a label volume as uint8 `[H, W]` (the values as stored, e.g. ACDC labels 0–3).
 *
 * @throws {@link InputFileError} when `frame`/`slice` is out of range or a value is not an integer 0–255.
 */
export function labelSlice(
  labels: NiftiImage,
  frame: number,
  slice: number,
  file: string,
): ndarray.NdArray<Uint8Array> {
  const layout = sliceLayout(labels.shape, file);
  const start = planeStart(layout, frame, slice, file);
  const plane = layout.height * layout.width;
  const out = new Uint8Array(plane);
  for (let p = 0; p < plane; p++) {
    const v = labels.data[start + p];
    if (!(Number.isInteger(v) && v >= 0 && v <= 255)) {
      throw new InputFileError(file, `value ${v} in slice ${slice} is not a label (an integer 0–255)`);
    }
    out[p] = v;
  }
  return ndarray(out, [layout.height, layout.width]);
}

/**
 * Frame `frame` of an image as one float32 stack `[D, H, W]` (a 2D image is a stack of one), with its spacing
 * `[dz, dy, dx]` in mm (`dz` 1 for a 2D image) and the image's affine, as the pipeline's `segmentVolume` takes it.
 *
 * @throws {@link InputFileError} when the image is not 2D–4D, `frame` is out of range or the pixel spacing is not
 *   positive.
 */
export function frameStack(
  image: NiftiImage,
  frame: number,
  file: string,
): {
  data: Float32Array;
  shape: [number, number, number];
  spacing: [number, number, number];
  affine: number[][];
} {
  const layout = sliceLayout(image.shape, file);
  const start = planeStart(layout, frame, 0, file);
  const size = layout.slices * layout.height * layout.width;
  const [dy, dx] = image.spacing.slice(-2);
  if (!(dy > 0 && dx > 0)) throw new InputFileError(file, `pixel spacing [${dy}, ${dx}] is not positive`);
  const dz = image.shape.length >= 3 ? image.spacing[image.spacing.length - 3] : 1;
  return {
    data: Float32Array.from(image.data.subarray(start, start + size)),
    shape: [layout.slices, layout.height, layout.width],
    spacing: [dz > 0 ? dz : 1, dy, dx],
    affine: image.affine.map((row) => [...row]),
  };
}
