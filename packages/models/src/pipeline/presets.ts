import { PAPER_FRAME } from '@myoseg/core';
import { checkPresetOverride, PresetError } from './preset-check';
import type { PipelinePreset, PresetName, PresetOverride } from './preset-schema';

export type { PipelinePreset, PresetName, PresetOverride, StageSettings } from './preset-schema';

/** The preset the segmenter trains with: `preset` with its `PipelinePreset.segmenter` settings applied. */
export function segmenterPreset(preset: PipelinePreset): PipelinePreset {
  return { ...preset, ...preset.segmenter };
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
  frame: PAPER_FRAME,
  cropJitter: 0.05,
  jitterCopies: 1,
  zoomCopies: 0,
  balanceBaselines: false,
  largestComponent: false,
  refinePasses: 0,
});

/**
 * A CPU preset for the demo: a ResNet-18 U-Net at ⅛ width (0.49 M parameters), the localizer at 96×96 and the
 * segmenter at the paper's 60×60, a fixed learning rate (3e-3; 1e-2 sometimes collapses the localizer to all
 * background), rotations up to 15° and no flips. The localizer (and the whole-image baselines) train 1 + 8 epochs
 * in batches of 16; the segmenter, whose steps are several times cheaper, 1 + 16 in batches of 8. No flips: they
 * mirror the short-axis view's fixed LV/RV arrangement (`docs/decisions/0002`). The segmenter also trains on crops
 * around boxes moved by up to 30 % of their side, and the pipeline refines each crop twice around the segmenter's
 * own mask, keeping its largest component, because this localizer's boxes are about a quarter too large
 * (`docs/decisions/0003`, with the measurements).
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
  frame: PAPER_FRAME,
  cropJitter: 0.3,
  jitterCopies: 1,
  zoomCopies: 2,
  balanceBaselines: true,
  largestComponent: true,
  refinePasses: 2,
  segmenter: { epochs: 16, batchSize: 8 },
});

/**
 * The preset of `@myoseg/pretrained`: trained to hold up on hearts and images it has never seen rather than to
 * reproduce the paper. Two ResNet-18 U-Nets at ¼ width, the localizer on 96×96 and the segmenter on 60×60, with few
 * epochs (1 frozen + 2 for each network), made to be trained on a large cohort of the twin's `varied` appearance
 * (`@myoseg/pretrained` 0.6.0: 1 200 patients) on all slices (`--no-filters`), so that the localizer learns that
 * apical and basal slices may hold no myocardium. Rotation ±15°, no flips (they swap the ventricles), no zoomed
 * copies (the cohort's own fields of view, from a cardiac crop to the whole chest, give the scales). Refinement
 * passes and the largest component as in `quick`. Variety comes from the data: measured on 2 CPU cores within the
 * same hour, more patients with fewer epochs beat more epochs, heavy augmentation and zoomed copies on held-out and
 * unseen-appearance cohorts, and a wider network beat more epochs for both the localizer and the segmenter
 * (docs/decisions/0008-standard-preset.md).
 */
export const STANDARD_PRESET: Readonly<PipelinePreset> = Object.freeze<PipelinePreset>({
  name: 'standard',
  encoder: 'resnet18',
  widthMultiplier: 0.25,
  localizerSize: [96, 96],
  segmenterSize: [60, 60],
  channels: 1,
  normalization: 'per-image',
  frozenEpochs: 1,
  epochs: 2,
  batchSize: 16,
  baseLr: 3e-3,
  lrFindIterations: 30,
  augment: { flip: false, rotateDeg: 15 },
  frame: PAPER_FRAME,
  cropJitter: 0.3,
  jitterCopies: 1,
  zoomCopies: 0,
  balanceBaselines: true,
  largestComponent: true,
  refinePasses: 2,
  segmenter: { frozenEpochs: 1, epochs: 2, batchSize: 8 },
});

/** The named presets. */
export const PRESETS: Readonly<Record<PresetName, Readonly<PipelinePreset>>> = Object.freeze({
  paper: PAPER_PRESET,
  quick: QUICK_PRESET,
  standard: STANDARD_PRESET,
});

/**
 * A preset by name, or a named preset with some fields replaced. A training field of the override (`epochs`,
 * `batchSize`, `widthMultiplier`, `frozenEpochs`, `baseLr`, `augment`) sets it for both networks, replacing the
 * base's `PipelinePreset.segmenter` value of it, unless the override's own `segmenter` sets it.
 *
 * @param where - where an override came from, for messages (default `'preset'`).
 * @throws {@link PresetError} for an unknown name, an unknown field, or a value of the wrong kind.
 */
export function resolvePreset(preset: PresetName | PresetOverride, where = 'preset'): PipelinePreset {
  if (typeof preset === 'string') {
    if (!(preset in PRESETS))
      throw new PresetError(
        `${where}: unknown preset '${preset}'; expected ${Object.keys(PRESETS)
          .map((n) => `'${n}'`)
          .join(', ')}`,
      );
    return { ...PRESETS[preset] };
  }
  checkPresetOverride(preset, where);
  const { base = 'quick', segmenter, ...rest } = preset;
  // a stage field set at the top level sets it for both networks, unless `segmenter` sets its own
  const inherited = Object.entries(PRESETS[base].segmenter ?? {}).filter(([key]) => !(key in rest));
  const own = { ...Object.fromEntries(inherited), ...segmenter };
  const resolved: PipelinePreset = { ...PRESETS[base], ...rest, segmenter: own };
  if (Object.keys(own).length === 0) delete resolved.segmenter;
  return resolved;
}
