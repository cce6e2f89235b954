import type { NdArray } from 'ndarray';

/** Any typed array that may back an image or mask. */
export type NumericArray =
  | Float32Array
  | Float64Array
  | Uint8Array
  | Uint8ClampedArray
  | Int8Array
  | Uint16Array
  | Int16Array
  | Uint32Array
  | Int32Array;

/** A 2D image, shape `[H, W]`, in arbitrary intensity units. Strided views are accepted. */
export type Image2D = NdArray<Float32Array>;

/** A binary mask, shape `[H, W]` (or `[D, H, W]` where stated): 0 is background, any non-zero value is foreground. */
export type Mask = NdArray<Uint8Array>;

/** A read-only view of any numeric ndarray: what operations accept as input. */
export type NumericNdArray = NdArray<NumericArray>;

/** An axis-aligned box in pixel indices, `y0`/`x0` inclusive and `y1`/`x1` exclusive. */
export interface Box {
  /** First row. */
  y0: number;
  /** First column. */
  x0: number;
  /** One past the last row. */
  y1: number;
  /** One past the last column. */
  x1: number;
}

/** Pixel spacing in mm: `[dy, dx]` for 2D data, `[dz, dy, dx]` for volumes. */
export type Spacing = readonly [number, number] | readonly [number, number, number];
