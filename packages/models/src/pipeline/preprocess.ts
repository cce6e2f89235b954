import { type Image2D, type NumericNdArray, normalizeIntensity, resize } from '@myoseg/core';
import { imagenetStats, type makeBatches } from '../training/data';
import type { Normalization } from '../training/normalization-schema';

/**
 * Brings one image to a stage's input: bilinear resize (half-pixel centres) to `size`, then normalization,
 * the same arithmetic as the training batches ({@link makeBatches}) without augmentation.
 *
 * @param image - `[H, W]` intensities, any units.
 * @param size - `[h, w]` of the network input.
 * @param channels - 1 (ImageNet's stats averaged over RGB for `'imagenet'`), or 3 (the grey image repeated, with
 *   ImageNet's per-channel stats).
 * @returns `h · w · channels` values, channels last (NHWC without the batch axis).
 */
export function prepareInput(
  image: NumericNdArray,
  size: readonly [number, number],
  normalization: Normalization,
  channels: 1 | 3,
): Float32Array {
  const resized = image.shape[0] === size[0] && image.shape[1] === size[1] ? image : resize(image, size);
  const plane: Image2D =
    normalization === 'per-image'
      ? normalizeIntensity(resized, { method: 'zscore' })
      : normalizeIntensity(resized, { method: 'percentile', lower: 0, upper: 100 });
  const n = size[0] * size[1];
  const out = new Float32Array(n * channels);
  const stats = imagenetStats(channels);
  for (let c = 0; c < channels; c++) {
    const mean = normalization === 'imagenet' ? stats.mean[c] : 0;
    const std = normalization === 'imagenet' ? stats.std[c] : 1;
    for (let i = 0; i < n; i++) out[i * channels + c] = (plane.data[i] - mean) / std;
  }
  return out;
}
