import ndarray, { type NdArray } from 'ndarray';
import { chance, factorAroundOne, normal, type RandomSource, uniform } from './draws';
import { assertPacked, blurAxes, intensityStats, lowResolution } from './filters';

/**
 * Adds white Gaussian noise of standard deviation `std` (intensity units) to every pixel.
 *
 * @param image - packed `[H, W]`.
 * @returns a new image; `std` 0 gives an equal copy.
 */
export function addGaussianNoise(
  image: NdArray<Float32Array>,
  std: number,
  random: RandomSource,
): NdArray<Float32Array> {
  assertPacked('addGaussianNoise: image', image);
  const out = Float32Array.from(image.data);
  if (std > 0) for (let i = 0; i < out.length; i++) out[i] += std * normal(random);
  return ndarray(out, image.shape.slice());
}

/** Multiplies every pixel by `factor` (nnU-Net's `MultiplicativeBrightnessTransform`); returns a new image. */
export function multiplyBrightness(image: NdArray<Float32Array>, factor: number): NdArray<Float32Array> {
  assertPacked('multiplyBrightness: image', image);
  return ndarray(
    Float32Array.from(image.data, (v) => v * factor),
    image.shape.slice(),
  );
}

/**
 * Scales the deviations from the image's mean by `factor`, then clips to the original [min, max]
 * (nnU-Net's `ContrastTransform` with `preserve_range=True`).
 *
 * @returns a new image; an empty image gives an empty one.
 */
export function scaleContrast(image: NdArray<Float32Array>, factor: number): NdArray<Float32Array> {
  assertPacked('scaleContrast: image', image);
  const { mean, min, max } = intensityStats(image.data);
  const out = Float32Array.from(image.data, (v) => Math.min(max, Math.max(min, (v - mean) * factor + mean)));
  return ndarray(out, image.shape.slice());
}

/**
 * nnU-Net's `GammaTransform` with `p_retain_stats=1`: rescales the image to [0, 1] by its min and max, raises it
 * to `gamma`, maps it back to the original range, then restores the original mean and standard deviation. With
 * `invert`, the image is negated before and after (so the dark end is bent instead of the bright one).
 *
 * @param gamma - exponent > 0 (nnU-Net draws it in [0.7, 1.5]).
 * @returns a new image; a flat image comes back unchanged.
 */
export function applyGamma(
  image: NdArray<Float32Array>,
  gamma: number,
  options: { invert?: boolean } = {},
): NdArray<Float32Array> {
  assertPacked('applyGamma: image', image);
  const sign = options.invert ? -1 : 1;
  const x = Float32Array.from(image.data, (v) => sign * v);
  const before = intensityStats(x);
  const range = Math.max(before.max - before.min, 1e-7);
  for (let i = 0; i < x.length; i++) x[i] = ((x[i] - before.min) / range) ** gamma * range + before.min;
  const after = intensityStats(x);
  const k = before.std / Math.max(after.std, 1e-7);
  for (let i = 0; i < x.length; i++) x[i] = sign * ((x[i] - after.mean) * k + before.mean);
  return ndarray(x, image.shape.slice());
}

/**
 * nnU-Net v2's intensity augmentations, in its order and with its probabilities and ranges
 * (`nnUNetTrainer.get_training_transforms`): Gaussian noise (p 0.1, std uniform in [0, 0.1], which nnU-Net
 * passes as `noise_variance` but uses as the standard deviation), Gaussian blur (p 0.2 × 0.5 per channel, σ
 * uniform in [0.5, 1] px for each axis), multiplicative brightness (p 0.15, factor in [0.75, 1.25]), contrast
 * (p 0.15, factor in [0.75, 1.25], range preserved), low resolution (p 0.25 × 0.5 per channel, both axes kept at
 * a fraction uniform in [0.5, 1]), inverted gamma (p 0.1) then gamma (p 0.3), γ in [0.7, 1.5] with statistics
 * retained. Factors are drawn as nnU-Net's `BGContrast` (below and above 1 equally often).
 *
 * nnU-Net augments z-scored images; this takes images in any units and gives the noise in units of the image's
 * standard deviation, so the chain acts the same on a [0, 1] image as nnU-Net's on its z-score. A global factor
 * (brightness) is undone by a later per-image z-score, as nnU-Net's instance normalization largely undoes it.
 *
 * @param image - packed `[H, W]`.
 * @returns the image itself when nothing is drawn, else a new image of the same shape.
 */
export function nnunetIntensity(image: NdArray<Float32Array>, random: RandomSource): NdArray<Float32Array> {
  let x = image;
  if (chance(random, 0.1)) {
    const std = uniform(random, 0, 0.1) * intensityStats(x.data).std;
    x = addGaussianNoise(x, std, random);
  }
  if (chance(random, 0.2) && chance(random, 0.5)) {
    x = blurAxes(x, uniform(random, 0.5, 1), uniform(random, 0.5, 1));
  }
  if (chance(random, 0.15)) x = multiplyBrightness(x, factorAroundOne(random, [0.75, 1.25]));
  if (chance(random, 0.15)) x = scaleContrast(x, factorAroundOne(random, [0.75, 1.25]));
  if (chance(random, 0.25) && chance(random, 0.5)) {
    const keep = uniform(random, 0.5, 1);
    x = lowResolution(x, keep, keep);
  }
  if (chance(random, 0.1)) x = applyGamma(x, factorAroundOne(random, [0.7, 1.5]), { invert: true });
  if (chance(random, 0.3)) x = applyGamma(x, factorAroundOne(random, [0.7, 1.5]));
  return x;
}
