import { resize } from '@myoseg/core';
import ndarray, { type NdArray } from 'ndarray';
import type { SegmentationSample } from '../data';
import { normal, type RandomSource, uniform } from './draws';
import { assertPacked, blurAxes, intensityStats, lowResolution } from './filters';
import { addRicianNoise } from './rician-noise';

/** Settings of SynthSeg-style domain randomization (see {@link randomizeAppearance}). */
export interface DomainRandomizationOptions {
  /** Probability that a training sample is re-rendered from its labels, in [0, 1]; the rest stay real. */
  probability: number;
  /** Pseudo-classes that the background is split into by intensity quantiles, an integer in [1, 16]. */
  backgroundClasses: number;
}

/**
 * The defaults: half of the samples re-rendered (SynthSeg re-renders all; half keep the real look the networks
 * meet at test time), background in 5 pseudo-classes (air, lung, muscle and myocardium-like tissue, liver and
 * fat, blood-bright structures fall into different quantiles of a short-axis slice).
 */
export const DOMAIN_RANDOMIZATION: Readonly<DomainRandomizationOptions> = Object.freeze({
  probability: 0.5,
  backgroundClasses: 5,
});

/**
 * SynthSeg's `prob_min` / `prob_iso` (`SampleResolution`): 5 % of renders keep the full resolution, 10 % lose it
 * on both axes, the rest on one random axis.
 */
const P_FULL_RESOLUTION = 0.05;
const P_ISOTROPIC = 0.1;
/** Largest resolution loss per axis: ACDC's in-plane spacings span 0.7–1.9 mm, a ratio of 2.7. */
const MAX_RESOLUTION_LOSS = 2.7;
/** SynthSeg's `prior_stds` [5, 25] on its 0–255 scale. */
const CLASS_STD: readonly [number, number] = [5 / 255, 25 / 255];
/** SynthSeg's `bias_field_std` (the largest log-domain standard deviation of the bias grid) and `bias_scale`. */
const BIAS_STD = 0.7;
const BIAS_SCALE = 0.025;
/** Rician noise: standard deviation up to 5 % of full scale (bSSFP cine blood SNR ≈ 20–60; the twin's 1.5–5 %). */
const MAX_NOISE = 0.05;
/** Otsu's effectiveness above which a label counts as two tissues (a single Gaussian reaches 2/π ≈ 0.64). */
const BIMODAL = 0.8;

/** Otsu's threshold of `values` on a 256-bin histogram, and its effectiveness σ²_between / σ²_total in [0, 1]. */
function otsu(values: Float32Array): { threshold: number; effectiveness: number } {
  const { min, max, std } = intensityStats(values);
  if (!(max > min)) return { threshold: max, effectiveness: 0 };
  const bins = 256;
  const hist = new Float64Array(bins);
  const width = (max - min) / bins;
  for (const v of values) hist[Math.min(bins - 1, Math.floor((v - min) / width))]++;
  const n = values.length;
  let total = 0;
  for (let b = 0; b < bins; b++) total += b * hist[b];
  let count = 0;
  let sum = 0;
  let best = 0;
  let cut = 0;
  for (let b = 0; b < bins - 1; b++) {
    count += hist[b];
    sum += b * hist[b];
    if (count === 0 || count === n) continue;
    const m0 = sum / count;
    const m1 = (total - sum) / (n - count);
    const between = (count / n) * (1 - count / n) * (m0 - m1) ** 2;
    if (between > best) {
      best = between;
      cut = b;
    }
  }
  return { threshold: min + (cut + 1) * width, effectiveness: (best * width * width) / (std * std) };
}

/** The generation classes of a sample's pixels (see {@link generationClasses}). */
export interface GenerationClasses {
  /** The class of each pixel, `[H * W]` row-major, in 0…count − 1. */
  classes: Uint16Array;
  /** The number of classes (0 for an empty sample). */
  count: number;
}

/**
 * The generation classes of a sample, SynthSeg's labels to draw one Gaussian each from: the background (label 0)
 * split into `backgroundClasses` by quantiles of the image's intensities, and each other label into two by Otsu's
 * threshold where its intensities are clearly bimodal (a label that joins myocardium and blood pool, as the
 * localizer's), else kept whole.
 *
 * @param sample - packed `[H, W]` image and mask.
 * @returns the class of each pixel `[H * W]` (0…count − 1) and the number of classes (0 for an empty sample).
 */
export function generationClasses(sample: SegmentationSample, backgroundClasses: number): GenerationClasses {
  assertPacked('generationClasses: sample.image', sample.image);
  assertPacked('generationClasses: sample.mask', sample.mask);
  const image = sample.image.data;
  const mask = sample.mask.data;
  const n = sample.image.shape[0] * sample.image.shape[1];
  const classes = new Uint16Array(n);
  const labels = [...new Set(mask.subarray(0, n))].sort((a, b) => a - b);
  let count = 0;
  for (const label of labels) {
    const values = image.subarray(0, n).filter((_, i) => mask[i] === label);
    let cuts: number[];
    if (label === 0) {
      const sorted = values.slice().sort();
      cuts = Array.from(
        { length: backgroundClasses - 1 },
        (_, j) => sorted[Math.floor(((j + 1) * sorted.length) / backgroundClasses)],
      );
    } else {
      const { threshold, effectiveness } = otsu(values);
      cuts = effectiveness > BIMODAL ? [threshold] : [];
    }
    for (let i = 0; i < n; i++) {
      if (mask[i] !== label) continue;
      let c = 0;
      while (c < cuts.length && image[i] > cuts[c]) c++;
      classes[i] = count + c;
    }
    count += cuts.length + 1;
  }
  return { classes, count };
}

/** A smooth multiplicative bias field `[H, W]`: exp of a coarse normal grid upsampled bilinearly (SynthSeg). */
function biasField(h: number, w: number, random: RandomSource): Float32Array {
  const gh = Math.max(2, Math.ceil(BIAS_SCALE * h));
  const gw = Math.max(2, Math.ceil(BIAS_SCALE * w));
  const std = uniform(random, 0, BIAS_STD);
  const grid = Float32Array.from({ length: gh * gw }, () => std * normal(random));
  return resize(ndarray(grid, [gh, gw]), [h, w], { method: 'bilinear' }).data.map(Math.exp);
}

/**
 * Re-renders a training image from its labels as SynthSeg's generative model (Billot et al. 2023), so that
 * appearance carries no information the network could rely on: each {@link generationClasses} class draws a
 * mean uniform in [0, 1] (any order: blood need not be the brightest) and a standard deviation uniform in
 * [5, 25] / 255, every pixel a normal value; then a bias field (exp of a normal grid of 2.5 % of the image side,
 * log-std uniform in [0, 0.7]), blur and low resolution (each axis at 1 / f of its resolution, f uniform in [1,
 * 2.7]: 5 % none, 10 % both axes, else one random axis; Gaussian σ 0.75 f px, 0.5 px where f = 1), Rician noise
 * (σ uniform in [0, 0.05]), and a min–max rescale to [0, 1]. The mask is untouched.
 *
 * @param sample - packed `[H, W]` image (any units) and mask.
 * @returns a new packed `[H, W]` image in [0, 1] (all zeros for a single flat class).
 */
export function randomizeAppearance(
  sample: SegmentationSample,
  options: Pick<DomainRandomizationOptions, 'backgroundClasses'>,
  random: RandomSource,
): NdArray<Float32Array> {
  const [h, w] = sample.image.shape;
  const { classes, count } = generationClasses(sample, options.backgroundClasses);
  const means = Array.from({ length: count }, () => random());
  const stds = Array.from({ length: count }, () => uniform(random, CLASS_STD[0], CLASS_STD[1]));
  const bias = biasField(h, w, random);
  const drawn = new Float32Array(h * w);
  for (let i = 0; i < drawn.length; i++) {
    drawn[i] = Math.max(0, means[classes[i]] + stds[classes[i]] * normal(random)) * bias[i];
  }
  const f: [number, number] = [1, 1];
  const u = random();
  if (u >= P_FULL_RESOLUTION) {
    if (u < P_FULL_RESOLUTION + P_ISOTROPIC) f.fill(uniform(random, 1, MAX_RESOLUTION_LOSS));
    else f[random() < 0.5 ? 0 : 1] = uniform(random, 1, MAX_RESOLUTION_LOSS);
  }
  const sigma = f.map((v) => (v > 1 ? 0.75 * v : 0.5));
  const lowered = lowResolution(blurAxes(ndarray(drawn, [h, w]), sigma[0], sigma[1]), 1 / f[0], 1 / f[1]);
  const acquired = addRicianNoise(lowered, uniform(random, 0, MAX_NOISE), random).data;
  const { min, max } = intensityStats(acquired);
  const range = max > min ? max - min : 1;
  for (let i = 0; i < acquired.length; i++) acquired[i] = (acquired[i] - min) / range;
  return ndarray(acquired, [h, w]);
}
