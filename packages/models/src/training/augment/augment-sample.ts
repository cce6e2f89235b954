import type { SegmentationSample } from '../data';
import { type DomainRandomizationOptions, randomizeAppearance } from './domain-randomization';
import { chance, type RandomSource } from './draws';
import { type ElasticOptions, randomElastic } from './elastic';
import { nnunetIntensity } from './intensity';
import { type RicianNoiseOptions, randomRicianNoise } from './rician-noise';
import { type NnunetSpatialOptions, randomScaleRotate } from './spatial';

/** The per-sample augmentations of a batch, resolved: `null` where off. */
export interface SampleAugmentations {
  /** nnU-Net's spatial settings, or null for no nnU-Net chain. */
  nnunet: NnunetSpatialOptions | null;
  /** The elastic deformation's settings, or null for none. */
  elastic: ElasticOptions | null;
  /** Domain randomization settings, or null for none. */
  domainRandomization: DomainRandomizationOptions | null;
  /** Rician noise settings, or null for none. */
  noise: RicianNoiseOptions | null;
}

/**
 * Augments one sample: nnU-Net's rotation and scaling (image bilinear, mask nearest), the elastic deformation, then
 * with the set probability a domain-randomized re-rendering from the labels, Rician noise, then nnU-Net's
 * intensity chain. Every draw comes from `random`, so a seeded source gives the same result every time; with every
 * step off nothing is drawn.
 *
 * @param sample - packed `[H, W]` image (intensities in [0, 1] in training batches) and mask.
 * @returns the sample itself when nothing applies, else a new one of the same shape; only geometry changes the
 *   mask, and its values stay among the input's labels (plus 0 where a zoom out or rotation uncovers the border).
 */
export function augmentSample(
  sample: SegmentationSample,
  augmentations: SampleAugmentations,
  random: RandomSource,
): SegmentationSample {
  const { nnunet, elastic, domainRandomization, noise } = augmentations;
  let s = sample;
  if (nnunet) s = randomScaleRotate(s, nnunet, random);
  if (elastic) s = randomElastic(s, elastic, random);
  if (domainRandomization && chance(random, domainRandomization.probability)) {
    s = { image: randomizeAppearance(s, domainRandomization, random), mask: s.mask };
  }
  if (noise) s = { image: randomRicianNoise(s.image, noise, random), mask: s.mask };
  if (nnunet) s = { image: nnunetIntensity(s.image, random), mask: s.mask };
  return s;
}
