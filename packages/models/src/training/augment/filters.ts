import { gaussianKernel1d, InvalidShapeError, resize } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';

/** Throws unless `arr` is a packed row-major `[H, W]` ndarray (as `ndarray(data, [H, W])` makes). */
export function assertPacked(what: string, arr: NdArray): void {
  const [h, w] = arr.shape;
  if (arr.shape.length !== 2 || arr.offset !== 0 || arr.stride[0] !== w || arr.stride[1] !== 1) {
    throw new InvalidShapeError(
      `${what} must be a packed row-major [H, W] ndarray, got shape [${arr.shape.join(', ')}] and strides [${arr.stride.join(', ')}]`,
    );
  }
  if (h * w > arr.data.length) throw new InvalidShapeError(`${what}: data is shorter than H × W`);
}

/** Mean, standard deviation (population), minimum and maximum of `values`; all 0 when empty. */
export function intensityStats(values: Float32Array): {
  mean: number;
  std: number;
  min: number;
  max: number;
} {
  const n = values.length;
  if (n === 0) return { mean: 0, std: 0, min: 0, max: 0 };
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (values[i] - mean) ** 2;
  return { mean, std: Math.sqrt(ss / n), min, max };
}

/** Index `i` mirrored into [0, n) as scipy's `'reflect'` (half-sample symmetric) mode. */
function reflect(i: number, n: number): number {
  const period = 2 * n;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - 1 - j;
  return j;
}

/** One axis of a separable convolution: `axis` 0 runs down columns, 1 along rows. */
function convolveAxis(src: Float32Array, h: number, w: number, k: Float64Array, axis: 0 | 1): Float32Array {
  const r = (k.length - 1) / 2;
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let acc = 0;
      for (let t = -r; t <= r; t++) {
        const i = axis === 0 ? reflect(y + t, h) * w + x : y * w + reflect(x + t, w);
        acc += k[t + r] * src[i];
      }
      out[y * w + x] = acc;
    }
  }
  return out;
}

/**
 * A Gaussian blur with its own σ along each axis (σ in pixels, ≥ 0; 0 leaves that axis alone), edges
 * mirrored as scipy's `'reflect'`, kernel radius round(4σ).
 *
 * @param image - packed `[H, W]`.
 * @returns a new packed `[H, W]` Float32 image; σ = 0 on both axes gives an equal copy.
 */
export function blurAxes(
  image: NdArray<Float32Array>,
  sigmaY: number,
  sigmaX: number,
): NdArray<Float32Array> {
  const [h, w] = image.shape;
  let data: Float32Array = Float32Array.from(image.data.subarray(0, h * w));
  if (sigmaY > 0) data = convolveAxis(data, h, w, gaussianKernel1d(sigmaY), 0);
  if (sigmaX > 0) data = convolveAxis(data, h, w, gaussianKernel1d(sigmaX), 1);
  return ndarray(data, [h, w]);
}

/**
 * Simulates an acquisition at a lower resolution: resamples `image` to `round(H · scaleY) × round(W · scaleX)`
 * pixels by nearest neighbour (as torch's `'nearest-exact'`), then back to `[H, W]` bilinearly (half-pixel
 * centres), as nnU-Net's `SimulateLowResolutionTransform`.
 *
 * @param scaleY - rows kept, in (0, 1]; 1 leaves the axis at full resolution.
 * @param scaleX - columns kept, in (0, 1].
 * @returns a new packed `[H, W]` Float32 image (an equal copy when both scales round to the full size).
 */
export function lowResolution(
  image: NdArray<Float32Array>,
  scaleY: number,
  scaleX: number,
): NdArray<Float32Array> {
  const [h, w] = image.shape;
  const small = resize(image, [Math.max(1, Math.round(h * scaleY)), Math.max(1, Math.round(w * scaleX))], {
    method: 'nearest',
  });
  return resize(small, [h, w], { method: 'bilinear' });
}
