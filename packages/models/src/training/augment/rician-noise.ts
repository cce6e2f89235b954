import ndarray, { type NdArray } from 'ndarray';
import { chance, normal, type RandomSource, uniform } from './draws';
import { assertPacked } from './filters';

/** Settings of {@link randomRicianNoise}. */
export interface RicianNoiseOptions {
  /** Probability that a training sample gets noise, in [0, 1]. */
  probability: number;
  /** Largest standard deviation, a fraction of the [0, 1] full scale of training images, in (0, 0.5]. */
  maxStd: number;
}

/**
 * The defaults: half of the samples, a standard deviation uniform in [0, 0.1] of full scale. Cine bSSFP at 1.5 T
 * has a blood signal-to-noise ratio of about 20–60, the twin draws 1.5–5 % noise; real-time, highly accelerated
 * and 3 T cine with off-resonance go down to about 10, which is σ ≈ 0.1 of a blood pool near full scale. Dark
 * blood and gradient-echo looks, whose brightest tissue is not the blood, are noisier still relative to the
 * myocardium.
 */
export const RICIAN_NOISE: Readonly<RicianNoiseOptions> = Object.freeze({ probability: 0.5, maxStd: 0.1 });

/**
 * Adds Rician noise of standard deviation `std`, as a magnitude image acquires it: each pixel becomes
 * `|v + n₁ + i·n₂|` with `n₁`, `n₂` independent normal draws of standard deviation `std` (so the background gains
 * a Rayleigh floor, as on a scanner). Draws two normals per pixel, in pixel order.
 *
 * @param image - packed `[H, W]`, magnitudes (≥ 0) in any units.
 * @param std - the noise's standard deviation, in the image's units; 0 gives an equal copy.
 * @returns a new image of the same shape.
 */
export function addRicianNoise(
  image: NdArray<Float32Array>,
  std: number,
  random: RandomSource,
): NdArray<Float32Array> {
  assertPacked('addRicianNoise: image', image);
  const out = Float32Array.from(image.data);
  if (std > 0) {
    for (let i = 0; i < out.length; i++) {
      const re = out[i] + std * normal(random);
      const im = std * normal(random);
      out[i] = Math.sqrt(re * re + im * im);
    }
  }
  return ndarray(out, image.shape.slice());
}

/**
 * With probability `options.probability`, adds Rician noise ({@link addRicianNoise}) whose standard deviation is
 * uniform in [0, `options.maxStd`] of full scale (images of training batches are scaled to [0, 1] first).
 *
 * @param image - packed `[H, W]`, intensities in [0, 1].
 * @returns the image itself when no noise is drawn, else a new one of the same shape.
 */
export function randomRicianNoise(
  image: NdArray<Float32Array>,
  options: RicianNoiseOptions,
  random: RandomSource,
): NdArray<Float32Array> {
  if (!chance(random, options.probability)) return image;
  return addRicianNoise(image, uniform(random, 0, options.maxStd), random);
}
