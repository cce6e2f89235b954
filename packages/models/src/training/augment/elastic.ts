import ndarray from 'ndarray';
import type { SegmentationSample } from '../data';
import { chance, normal, type RandomSource, uniform } from './draws';
import { assertPacked } from './filters';

/**
 * A smooth random deformation of image and mask (SynthSeg's nonlinear spatial augmentation, in 2D): the
 * displacement is drawn on a coarse grid of control points and interpolated to every pixel, so that the heart's
 * outline and wall thickness change locally, which rotation and scaling cannot do.
 */
export interface ElasticOptions {
  /** Probability that a sample is deformed, in [0, 1]. */
  probability: number;
  /**
   * Largest standard deviation of the control points' displacements, as a fraction of the sample's smaller
   * side, in (0, 0.25]; each deformed sample draws its own uniformly in [0, this].
   */
  magnitude: number;
  /** Control points per side of the grid, an integer in [2, 32]: more points give more local bumps. */
  controlPoints: number;
}

/**
 * The defaults of `augment.elastic: true`: half the samples deformed, displacements with a standard deviation up
 * to 3 % of the smaller side (SynthSeg's `nonlin_std` of 4 voxels is 2.5 % of its 160-voxel crops), on 5 × 5
 * control points (a 60-pixel segmenter crop: one every 15 pixels, about the LV cavity's radius; SynthSeg's
 * `nonlin_scale` 0.04 gives a point every 25 voxels). Control points move by less than a tenth of their spacing
 * on average, so the interpolated field does not fold.
 */
export const ELASTIC: Readonly<ElasticOptions> = Object.freeze({
  probability: 0.5,
  magnitude: 0.03,
  controlPoints: 5,
});

/**
 * Displacement of every pixel, interpolated bilinearly from a `g × g` grid whose corners sit on the image's
 * corners.
 *
 * @param grid - `[g, g, 2]` packed (dy, dx) displacements in pixels.
 * @returns `[dy, dx]`, each `H · W`.
 */
function interpolateField(grid: Float64Array, g: number, h: number, w: number): [Float32Array, Float32Array] {
  const dy = new Float32Array(h * w);
  const dx = new Float32Array(h * w);
  const sy = h > 1 ? (g - 1) / (h - 1) : 0;
  const sx = w > 1 ? (g - 1) / (w - 1) : 0;
  for (let y = 0; y < h; y++) {
    const gy = y * sy;
    const y0 = Math.min(g - 2, Math.floor(gy));
    const fy = gy - y0;
    for (let x = 0; x < w; x++) {
      const gx = x * sx;
      const x0 = Math.min(g - 2, Math.floor(gx));
      const fx = gx - x0;
      const at = (j: number, i: number, c: number) => grid[((y0 + j) * g + x0 + i) * 2 + c];
      for (let c = 0; c < 2; c++) {
        const v =
          (1 - fy) * ((1 - fx) * at(0, 0, c) + fx * at(0, 1, c)) +
          fy * ((1 - fx) * at(1, 0, c) + fx * at(1, 1, c));
        (c === 0 ? dy : dx)[y * w + x] = v;
      }
    }
  }
  return [dy, dx];
}

/**
 * Warps a sample by a displacement grid: output pixel `p` samples the input at `p + d(p)`, `d` interpolated
 * bilinearly from the grid, the image bilinearly and the mask by nearest neighbour, clamped at the borders (so
 * nothing new appears at the edges).
 *
 * @param sample - packed `[H, W]` image and mask.
 * @param grid - `[g, g, 2]` packed (dy, dx) displacements in pixels of the control points, g ≥ 2; corners on the
 *   image's corners.
 * @returns a new sample of the same shape; an all-zero grid gives an equal copy. The mask's values stay among the
 *   input's.
 */
export function warpSample(sample: SegmentationSample, grid: Float64Array, g: number): SegmentationSample {
  assertPacked('warpSample: sample.image', sample.image);
  assertPacked('warpSample: sample.mask', sample.mask);
  if (!Number.isInteger(g) || g < 2 || grid.length !== g * g * 2)
    throw new RangeError(
      `warpSample: grid must hold g × g × 2 values with g ≥ 2, got ${grid.length} for g = ${g}`,
    );
  const [h, w] = sample.image.shape;
  const [dy, dx] = interpolateField(grid, g, h, w);
  const src = sample.image.data;
  const labels = sample.mask.data;
  const image = new Float32Array(h * w);
  const mask = new Uint8Array(h * w);
  const clampY = (v: number) => Math.min(h - 1, Math.max(0, v));
  const clampX = (v: number) => Math.min(w - 1, Math.max(0, v));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const k = y * w + x;
      const iy = clampY(y + dy[k]);
      const ix = clampX(x + dx[k]);
      const y0 = Math.floor(iy);
      const x0 = Math.floor(ix);
      const y1 = Math.min(h - 1, y0 + 1);
      const x1 = Math.min(w - 1, x0 + 1);
      const fy = iy - y0;
      const fx = ix - x0;
      image[k] =
        (1 - fy) * ((1 - fx) * src[y0 * w + x0] + fx * src[y0 * w + x1]) +
        fy * ((1 - fx) * src[y1 * w + x0] + fx * src[y1 * w + x1]);
      mask[k] = labels[Math.round(iy) * w + Math.round(ix)];
    }
  }
  return { image: ndarray(image, [h, w]), mask: ndarray(mask, [h, w]) };
}

/**
 * With probability `options.probability`, deforms a sample smoothly ({@link ElasticOptions}): a standard
 * deviation uniform in [0, `magnitude`] times the smaller side, normal displacements of the control points, then
 * {@link warpSample}. Every draw comes from `random`.
 *
 * @returns the sample itself when not drawn, else a new one of the same shape.
 */
export function randomElastic(
  sample: SegmentationSample,
  options: ElasticOptions,
  random: RandomSource,
): SegmentationSample {
  if (!chance(random, options.probability)) return sample;
  const [h, w] = sample.image.shape;
  const sd = uniform(random, 0, options.magnitude) * Math.min(h, w);
  const g = options.controlPoints;
  const grid = new Float64Array(g * g * 2);
  for (let i = 0; i < grid.length; i++) grid[i] = sd * normal(random);
  return warpSample(sample, grid, g);
}
