import type { AugmentOptions, Normalization } from '../training/data';

/** Everything that decides how {@link trainSegmenter} builds and trains the two networks. */
export interface PipelinePreset {
  /** A name for logs and model cards. */
  name: string;
  /** Encoder of both U-Nets. */
  encoder: 'resnet34' | 'resnet18';
  /** Width of both U-Nets relative to torchvision's (1 = the paper's). */
  widthMultiplier: number;
  /** Localizer input `[h, w]` (the paper: 250×250). */
  localizerSize: [number, number];
  /** Segmenter input `[h, w]` (the paper: 60×60). */
  segmenterSize: [number, number];
  /** Input channels: 3 for ImageNet-pretrained encoders (grey repeated), 1 otherwise. */
  channels: 1 | 3;
  /** Intensity normalization, training and inference alike. */
  normalization: Normalization;
  /** Epochs with the encoder frozen (fastai `fine_tune`'s first phase; the paper: 10). */
  frozenEpochs: number;
  /** Epochs after unfreezing (the paper: 10). */
  epochs: number;
  /** Samples per batch. */
  batchSize: number;
  /** A fixed base learning rate (skips lr_find); `undefined` runs lr_find before each phase (the paper's way). */
  baseLr?: number;
  /** Steps of each lr_find (fastai: 100). */
  lrFindIterations: number;
  /** Training augmentations (the paper: none that change intensities; flips and small rotations are safe). */
  augment: AugmentOptions;
  /** The crop's frame (the paper: 0.15). */
  frame: number;
  /** Segmenter training crops are also taken around boxes moved by up to this fraction of their side. */
  cropJitter: number;
  /** Jittered copies per training slice for the segmenter (0 = only the exact crop). */
  jitterCopies: number;
  /**
   * Zoomed copies per training slice for the localizer: random square crops of 50–90 % of the image that still
   * hold the whole region, so it meets the heart at more scales than the cohort's fields of view give (0 = none).
   */
  zoomCopies: number;
  /**
   * Table 1's whole-image baselines weigh the cross-entropy by √(most frequent class's pixel share / each class's
   * share), so that the myocardium (~1 % of a whole image) is not learned away at a small budget. The two-step
   * pipeline's networks never do (on the twin it lowered the full method from 0.53 to 0.44 Dice).
   */
  balanceBaselines: boolean;
}

/**
 * The paper's setting: ResNet-34 U-Nets at 250×250 and 60×60, lr_find then 10 frozen + 10 unfrozen epochs.
 * Meant for a GPU (tfjs-node-gpu) or patience: see the README for what it costs on a CPU.
 */
export const PAPER_PRESET: Readonly<PipelinePreset> = Object.freeze<PipelinePreset>({
  name: 'paper',
  encoder: 'resnet34',
  widthMultiplier: 1,
  localizerSize: [250, 250],
  segmenterSize: [60, 60],
  channels: 3,
  normalization: 'imagenet',
  frozenEpochs: 10,
  epochs: 10,
  batchSize: 8,
  lrFindIterations: 100,
  augment: { flip: true, rotateDeg: 10 },
  frame: 0.15,
  cropJitter: 0.05,
  jitterCopies: 1,
  zoomCopies: 0,
  balanceBaselines: false,
});

/**
 * A CPU preset for the demo: a ResNet-18 U-Net at ⅛ width (0.49 M parameters), the localizer at 96×96 and the
 * segmenter at the paper's 60×60, a fixed learning rate (3e-3; 1e-2 sometimes collapses the localizer to all
 * background), 1 + 8 epochs, rotations up to 15° and no flips. Flips mirror the short-axis view's fixed LV/RV
 * arrangement, so a small localizer confuses the two ventricles: on the twin, dropping them (with 2 zoomed copies
 * per slice and 8 epochs) raised the localizer's validation Dice from 0.65 to 0.85 and the pipeline's held-out
 * Dice from 0.53 to 0.81. Its segmenter also trains on crops around boxes moved by up to 30 % of their side,
 * because a localizer this small misplaces boxes by about that.
 */
export const QUICK_PRESET: Readonly<PipelinePreset> = Object.freeze<PipelinePreset>({
  name: 'quick',
  encoder: 'resnet18',
  widthMultiplier: 0.125,
  localizerSize: [96, 96],
  segmenterSize: [60, 60],
  channels: 1,
  normalization: 'per-image',
  frozenEpochs: 1,
  epochs: 8,
  batchSize: 16,
  baseLr: 3e-3,
  lrFindIterations: 30,
  augment: { flip: false, rotateDeg: 15 },
  frame: 0.15,
  cropJitter: 0.3,
  jitterCopies: 1,
  zoomCopies: 2,
  balanceBaselines: true,
});

/** The named presets. */
export const PRESETS: Readonly<Record<'paper' | 'quick', Readonly<PipelinePreset>>> = Object.freeze({
  paper: PAPER_PRESET,
  quick: QUICK_PRESET,
});

/** A named preset with some fields replaced. */
export interface PresetOverride extends Partial<PipelinePreset> {
  /** The preset the other fields replace parts of (default `'quick'`). */
  base?: 'paper' | 'quick';
}

/** A preset by name, or a named preset with some fields replaced. */
export function resolvePreset(preset: 'paper' | 'quick' | PresetOverride): PipelinePreset {
  if (typeof preset === 'string') {
    if (!(preset in PRESETS)) throw new RangeError(`unknown preset '${preset}'; expected 'paper' or 'quick'`);
    return { ...PRESETS[preset] };
  }
  const { base = 'quick', ...rest } = preset;
  return { ...PRESETS[base], ...rest };
}
