import * as v from 'valibot';
import { imageSize, integer, numberAtLeast, plainObject } from '../schema/fields';
import { AugmentOptionsSchema } from '../training/augment/augment-schema';
import { NormalizationSchema } from '../training/normalization-schema';

const POSITIVE = 'be a number > 0';
const positive = v.pipe(v.number(POSITIVE), v.finite(POSITIVE), v.gtValue(0, POSITIVE));
const BASE_LR = 'be a number > 0 (omit it to run lr_find)';
const CROP_JITTER = 'be a number in [0, 1)';
const size = imageSize('be [height, width], integers ≥ 1');

/** The training settings of one network (see {@link StageSettings}). */
const stageEntries = {
  /** Width of both U-Nets relative to torchvision's (1 = the paper's). */
  widthMultiplier: positive,
  /** Epochs with the encoder frozen (fastai `fine_tune`'s first phase; the paper: 10; at least 1, which training needs). */
  frozenEpochs: integer(1),
  /** Epochs after unfreezing (the paper: 10; at least 1). */
  epochs: integer(1),
  /** Samples per batch. */
  batchSize: integer(1),
};

/** A fixed base learning rate (skips lr_find); absent runs lr_find before each phase (the paper's way). */
const baseLr = v.optional(v.pipe(v.number(BASE_LR), v.finite(BASE_LR), v.gtValue(0, BASE_LR)));

/** Checks {@link StageSettings}: some of a network's training settings, no other field. */
export const StageSettingsSchema = plainObject(
  v.strictObject({
    ...v.partial(v.object(stageEntries)).entries,
    baseLr,
    /** The segmenter's own training augmentations, replacing the preset's `augment` as a whole (not merged). */
    augment: v.optional(AugmentOptionsSchema),
  }),
);

/** Settings of one network that `PipelinePreset.segmenter` can give the segmenter its own value of. */
export type StageSettings = v.InferOutput<typeof StageSettingsSchema>;

/** The fields of a preset and what each must be. */
const PresetFieldsSchema = v.strictObject({
  ...stageEntries,
  baseLr,
  /** A name for logs and model cards. */
  name: v.string(),
  /** Encoder of both U-Nets. */
  encoder: v.picklist(['resnet34', 'resnet18']),
  /** Localizer input `[h, w]` in pixels (the paper: 250×250). */
  localizerSize: size,
  /** Segmenter input `[h, w]` in pixels (the paper: 60×60). */
  segmenterSize: size,
  /** Input channels: 3 for ImageNet-pretrained encoders (grey repeated), 1 otherwise. */
  channels: v.picklist([1, 3]),
  /** Intensity normalization, training and inference alike (see `Normalization`). */
  normalization: NormalizationSchema,
  /** Steps of each lr_find (fastai: 100). */
  lrFindIterations: integer(1),
  /**
   * Training augmentations (the paper: none that change intensities). `nnunet`, `elastic` and
   * `domainRandomization` switch on nnU-Net's chain, SynthSeg's nonlinear deformation and SynthSeg-style domain
   * randomization; keep `flip` off with them, as a mirror swaps the ventricles' sides.
   */
  augment: AugmentOptionsSchema,
  /** The crop's frame (the paper's: `PAPER_FRAME`, 0.15). */
  frame: numberAtLeast(0),
  /** Segmenter training crops are also taken around boxes moved by up to this fraction of their side, in [0, 1). */
  cropJitter: v.pipe(v.number(CROP_JITTER), v.minValue(0, CROP_JITTER), v.ltValue(1, CROP_JITTER)),
  /** Jittered copies per training slice for the segmenter (0 = only the exact crop). */
  jitterCopies: integer(0),
  /**
   * Zoomed copies per training slice for the localizer: random square crops of 50–90 % of the image that still
   * hold the whole region, so it meets the heart at more scales than the cohort's fields of view give (0 = none).
   */
  zoomCopies: integer(0),
  /**
   * Table 1's whole-image baselines weigh the cross-entropy by √(most frequent class's pixel share / each class's
   * share), so that the myocardium (~1 % of a whole image) is not learned away at a small budget. The two-step
   * pipeline's networks never do (`docs/decisions/0003` has the measurement).
   */
  balanceBaselines: v.boolean(),
  /**
   * Keep only the largest 8-connected component of the segmenter's mask. Not in the paper: the myocardium is one
   * ring, so this drops stray blobs (`docs/decisions/0003`).
   */
  largestComponent: v.boolean(),
  /**
   * Segmenter passes after the first, each around the previous pass's myocardium (not in the paper; see
   * `PipelineOptions.refinePasses`).
   */
  refinePasses: integer(0),
  /**
   * Training settings in which the segmenter differs from the localizer (and the whole-image baselines), which use
   * the fields above: the segmenter's 60×60 inputs make its steps several times cheaper, so a CPU budget affords it
   * more of them.
   */
  segmenter: v.optional(StageSettingsSchema),
});

/** Checks a {@link PipelinePreset}: every field present and of its kind, no other field. */
export const PipelinePresetSchema = plainObject(PresetFieldsSchema);

/**
 * Everything that decides how `trainPipeline` builds and trains the two networks (checked by
 * {@link PipelinePresetSchema}).
 */
export type PipelinePreset = v.InferOutput<typeof PipelinePresetSchema>;

/** Checks a {@link PresetName}. */
export const PresetNameSchema = v.picklist(['paper', 'quick', 'standard']);

/** The names of the built-in presets. */
export type PresetName = v.InferOutput<typeof PresetNameSchema>;

/** Checks a {@link PresetOverride} (e.g. a `--preset` JSON file): known fields only, each of its kind. */
export const PresetOverrideSchema = plainObject(
  v.strictObject({
    ...v.partial(PresetFieldsSchema).entries,
    /** The preset the other fields replace parts of (default `'quick'`). */
    base: v.optional(PresetNameSchema),
  }),
);

/** A named preset with some fields replaced (checked by {@link PresetOverrideSchema}). */
export type PresetOverride = v.InferOutput<typeof PresetOverrideSchema>;
