import * as v from 'valibot';
import { booleanOr, integer, plainObject } from '../../schema/fields';

/** An object of some of `entries` (no others); messages list them, as `be ${kind} a, b, c` when it is no object. */
function someOf<E extends v.ObjectEntries>(entries: E, kind: string) {
  const list = Object.keys(entries).join(', ');
  const message = (issue: v.BaseIssue<unknown>) =>
    issue.expected === 'never' ? `be a known field (${list})` : `be ${kind} ${list}`;
  return plainObject(v.strictObject(entries, message), message);
}

/** A number in [0, 1] whose failures read `be ${message}`. */
const unitInterval = (message: string) =>
  v.pipe(v.number(message), v.minValue(0, message), v.maxValue(1, message));
const probability = v.optional(unitInterval('be a probability in [0, 1]'));
const ROTATION = 'be in [0, 180] degrees';
const rotation = v.optional(v.pipe(v.number(ROTATION), v.minValue(0, ROTATION), v.maxValue(180, ROTATION)));
const LIGHTING = 'be in [0, 1)';
const lighting = v.optional(v.pipe(v.number(LIGHTING), v.minValue(0, LIGHTING), v.ltValue(1, LIGHTING)));
const SCALING = 'be [min, max] with 0 < min ≤ max';
const factor = v.pipe(v.number(SCALING), v.finite(SCALING), v.gtValue(0, SCALING));

/** The spatial settings of nnU-Net's chain that an `AugmentOptions.nnunet` object changes (JSON form). */
export const NnunetAugmentSchema = someOf(
  {
    /** Largest rotation in degrees, in [0, 180]. */
    rotateDeg: rotation,
    /** Probability of a rotation, in [0, 1]. */
    rotationProbability: probability,
    /** Range `[min, max]` of the grid's scale factor, 0 < min ≤ max. */
    scaling: v.optional(
      v.pipe(
        v.tuple([factor, factor], SCALING),
        v.check(([min, max]) => min <= max, SCALING),
        v.readonly(),
      ),
    ),
    /** Probability of a scaling, in [0, 1]. */
    scalingProbability: probability,
  },
  'true, false or an object with some of',
);

/**
 * nnU-Net v2's augmentation chain, with the spatial settings changed where given (the defaults are
 * `NNUNET_SPATIAL`); the intensity part is always nnU-Net's (`nnunetIntensity`).
 */
export type NnunetAugmentOptions = v.InferOutput<typeof NnunetAugmentSchema>;

const ELASTIC_MAGNITUDE = 'be in (0, 0.25]';

/** The settings of SynthSeg's nonlinear deformation that an `AugmentOptions.elastic` object changes (JSON form). */
export const ElasticAugmentSchema = someOf(
  {
    /** Probability that a sample is deformed, in [0, 1]. */
    probability,
    /** Largest standard deviation of the displacements, a fraction of the smaller side in (0, 0.25]. */
    magnitude: v.optional(
      v.pipe(
        v.number(ELASTIC_MAGNITUDE),
        v.gtValue(0, ELASTIC_MAGNITUDE),
        v.maxValue(0.25, ELASTIC_MAGNITUDE),
      ),
    ),
    /** Control points per side of the displacement grid, an integer in [2, 32]. */
    controlPoints: v.optional(integer(2, 32)),
  },
  'true, false or an object with some of',
);

const DomainRandomizationAugmentSchema = someOf(
  {
    /** Probability that a training sample is re-rendered from its labels, in [0, 1]. */
    probability,
    /** Pseudo-classes that the background is split into by intensity quantiles, an integer in [1, 16]. */
    backgroundClasses: v.optional(integer(1, 16)),
  },
  'true, false or an object with some of',
);

const NOISE_STD = 'be in (0, 0.5]';

const NoiseAugmentSchema = someOf(
  {
    /** Probability that a training sample gets noise, in [0, 1]. */
    probability,
    /** Largest standard deviation, a fraction of full scale, in (0, 0.5]. */
    maxStd: v.optional(v.pipe(v.number(NOISE_STD), v.gtValue(0, NOISE_STD), v.maxValue(0.5, NOISE_STD))),
  },
  'true, false or an object with some of',
);

/**
 * Random augmentations (JSON form, e.g. a preset file's `augment`): fastai's `aug_transforms` kinds (`flip`,
 * `rotateDeg`, `brightness`, `contrast`), nnU-Net v2's chain (`nnunet`), SynthSeg's nonlinear deformation
 * (`elastic`), SynthSeg-style domain randomization (`domainRandomization`) and Rician noise (`noise`). Each image
 * draws its own, from the batch seed. Geometry is applied to image (bilinear) and mask (nearest) alike: fastai's
 * with reflection at the borders, nnU-Net's with zeros (background), the elastic deformation clamped at the
 * borders. All are off by default.
 *
 * Order in a batch: nnU-Net's rotation and scaling, the elastic deformation, domain randomization, Rician noise,
 * nnU-Net's intensity chain (per sample, on images scaled to [0, 1]), then fastai's geometry and lighting (on the
 * batch).
 */
export const AugmentOptionsSchema = someOf(
  {
    /** Mirror left–right with probability 0.5 (fastai `do_flip`). */
    flip: v.optional(v.boolean()),
    /** With probability 0.75, rotate by an angle uniform in ±`rotateDeg` degrees (fastai `max_rotate`, 10). */
    rotateDeg: rotation,
    /**
     * With probability 0.75, shift brightness as fastai's `Brightness(max_lighting)`: in logit space, by
     * `logit(u)` with `u` uniform in `0.5 · (1 ± brightness)`; in [0, 1).
     */
    brightness: lighting,
    /**
     * With probability 0.75, scale contrast as fastai's `Contrast(max_lighting)`: logits times `exp(u)` with
     * `u` uniform in `±ln(1 − contrast)`; in [0, 1).
     */
    contrast: lighting,
    /**
     * nnU-Net v2's training augmentation, its probabilities and ranges (see `NNUNET_SPATIAL` and
     * `nnunetIntensity`): rotation, scaling 0.7–1.4 (zooming in and out), noise, blur, brightness, contrast, low
     * resolution, gamma; no elastic deformation (off in nnU-Net v2 too) and no mirroring. `true` for nnU-Net's
     * settings, an object to change the spatial ones (e.g. `{ scaling: [0.5, 1.6], scalingProbability: 0.5 }`).
     */
    nnunet: v.optional(booleanOr(NnunetAugmentSchema)),
    /**
     * SynthSeg's nonlinear deformation (see `randomElastic`): with a probability, image and mask are deformed by a
     * smooth random field, so that the heart's outline and wall thickness vary beyond the generator's shapes.
     * `true` for `ELASTIC` (probability 0.5, displacements up to 3 % of the side, 5 × 5 control points), an object
     * to change some.
     */
    elastic: v.optional(booleanOr(ElasticAugmentSchema)),
    /**
     * SynthSeg-style domain randomization (see `randomizeAppearance`): with a probability, the image is
     * re-rendered from its labels with random tissue intensities, bias, blur, resolution and noise. `true` for
     * `DOMAIN_RANDOMIZATION` (probability 0.5, 5 background classes), an object to change some.
     */
    domainRandomization: v.optional(booleanOr(DomainRandomizationAugmentSchema)),
    /**
     * Rician noise as a magnitude image acquires it (see `randomRicianNoise`), so that the networks hold up on
     * studies noisier than the twin's. `true` for `RICIAN_NOISE` (probability 0.5, standard deviation up to 0.1 of
     * full scale), an object to change some.
     */
    noise: v.optional(booleanOr(NoiseAugmentSchema)),
  },
  'an object with some of',
);

/** Random augmentations: see {@link AugmentOptionsSchema}, which checks them. */
export type AugmentOptions = v.InferOutput<typeof AugmentOptionsSchema>;
