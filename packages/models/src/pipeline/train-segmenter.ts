import {
  type Box,
  bestSigma,
  boundingBox,
  cropImage,
  fitSigmaRegression,
  InsufficientDataError,
  LOCALIZATION_LABELS,
  MYOCARDIUM_LABELS,
  type SigmaRegression,
  type SigmaSample,
  seededRandom,
  selectLabels,
  splitByPatient,
  squareCropBox,
} from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildUNet } from '../architecture';
import type { TrainingCallback } from '../training/callbacks';
import { type SegmentationSample, segmentationData } from '../training/data';
import { type FineTuneResult, fineTune } from '../training/fine-tune';
import { assignWeights, type FineTuneCheckpoint } from '../training/fine-tune-checkpoint';
import { diceCrossEntropyLoss } from '../training/losses';
import type { StageTrainerFactory } from '../training/train-step';
import type { LabeledSlice } from './labeled-slice';
import { checkResumable, copyWeights, type PipelineCheckpoint } from './pipeline-checkpoint';
import {
  type PipelinePreset,
  type PresetName,
  type PresetOverride,
  resolvePreset,
  segmenterPreset,
} from './presets';
import { MyocardiumSegmenter } from './segmenter';
import { tfStage } from './stage';

/** Progress of {@link trainSegmenter}, for progress bars and logs. */
export interface PipelineProgress {
  /** Which network or step. */
  stage: 'localizer' | 'segmenter' | 'sigma' | string;
  /** `'batch'` after each optimizer step, `'epoch'` after each epoch, `'done'` when the stage ends. */
  event: 'batch' | 'epoch' | 'done';
  /** Epoch within the stage (frozen epochs first), from 0. */
  epoch?: number;
  /** Epochs of the stage in all. */
  epochs?: number;
  /** Batch within the epoch, from 0. */
  batch?: number;
  /** Batches per epoch. */
  batches?: number;
  /** Training loss (batch or epoch mean). */
  loss?: number;
  /** Validation Dice after an epoch. */
  valDice?: number;
}

/** Options of {@link trainSegmenter}. */
export interface TrainSegmenterOptions {
  /** `'quick'` (default), `'paper'`, or a preset with fields replaced. */
  preset?: PresetName | PresetOverride;
  /** Seed of the split, the initial weights, the shuffles and the crop jitter (default 0). */
  seed?: number;
  /** Patient-level split for segmenter training / σ fitting / validation (default the paper's [0.6, 0.2, 0.2]). */
  ratios?: readonly [number, number, number];
  /** Called with progress events. */
  onProgress?: (p: PipelineProgress) => void;
  /** Extra callbacks for both networks' training (checkpoints, early stopping). */
  callbacks?: readonly TrainingCallback[];
  /**
   * Called after every completed epoch of either network with the run's state; training waits for it (write
   * it with `checkpointFiles`). Its tensors are freed when the returned promise settles.
   */
  checkpoint?: (checkpoint: PipelineCheckpoint) => void | Promise<void>;
  /**
   * Resume an interrupted run from one of its checkpoints: same slices, seed and preset (checked), and the
   * result equals the uninterrupted run's. The caller keeps ownership of its tensors.
   */
  resume?: PipelineCheckpoint;
  /**
   * Makes each network's optimizer step (default: `trainBatch` on the calling thread). Under Node,
   * `(model) => createDataParallelTrainer(model)` from `@myoseg/node` spreads every step over worker threads.
   * BatchNorm then normalizes each worker's rows separately, so the weights depend on the worker count (a run
   * and its resumption must use the same).
   */
  trainer?: StageTrainerFactory;
}

/** Patient ids on each side of the 60/20/20 split. */
export interface PatientSplitIds {
  /** Patients both networks trained on. */
  train: string[];
  /** Patients the σ regression was fitted on. */
  sigma: string[];
  /** Held-out patients (validation during training; the test set of `evaluateApproaches`). */
  validation: string[];
}

/** Training logs of both networks. */
export interface PipelineHistory {
  /** The localizer's fine-tuning. */
  localizer: FineTuneResult;
  /** The segmenter's fine-tuning. */
  segmenter: FineTuneResult;
}

/** One trained network and its logs. */
export interface TrainedStage {
  /** The network. */
  model: tfl.LayersModel;
  /** Its fine-tuning logs. */
  history: FineTuneResult;
}

/** What {@link trainSegmenter} returns. */
export interface TrainedPipeline {
  /** The ready pipeline. */
  segmenter: MyocardiumSegmenter;
  /** The localizer network (2 classes: background, myocardium ∪ LV). */
  localizerModel: tfl.LayersModel;
  /** The segmenter network (2 classes: background, myocardium). */
  segmenterModel: tfl.LayersModel;
  /** The fitted σ regression, or a fixed σ when the σ split had fewer than two crop widths. */
  sigma: SigmaRegression | number;
  /** The (width, best σ) points the regression was fitted on. */
  sigmaSamples: SigmaSample[];
  /** Patient ids of each side of the split. */
  split: PatientSplitIds;
  /** The preset used (resolved). */
  preset: PipelinePreset;
  /** Training logs of both networks. */
  history: PipelineHistory;
}

const patients = (slices: readonly LabeledSlice[]) => [...new Set(slices.map((s) => s.patientId))].sort();

/** A box moved and resized by up to `jitter` of its larger side, with `random`. */
function jitterBox(box: Box, jitter: number, random: () => number): Box {
  const side = Math.max(box.y1 - box.y0, box.x1 - box.x0);
  const d = () => Math.round((random() * 2 - 1) * jitter * side);
  const y0 = box.y0 + d();
  const x0 = box.x0 + d();
  return { y0, x0, y1: Math.max(y0 + 1, box.y1 + d()), x1: Math.max(x0 + 1, box.x1 + d()) };
}

/**
 * The localizer's training pairs: each slice with its region mask (myocardium ∪ LV), plus `zoomCopies` random
 * square crops of 50–90 % of the slice's shorter side that hold the whole region (fastai's random resized crop,
 * kept around the target), so the localizer sees the heart at more scales.
 */
export function localizerSamples(
  slices: readonly LabeledSlice[],
  zoomCopies: number,
  seed: number,
): SegmentationSample[] {
  const random = seededRandom(seed);
  const out: SegmentationSample[] = [];
  for (const s of slices) {
    const mask = selectLabels(s.mask, LOCALIZATION_LABELS);
    out.push({ image: s.image, mask });
    const region = boundingBox(mask);
    if (!region) continue;
    const [h, w] = s.image.shape;
    for (let c = 0; c < zoomCopies; c++) {
      const side = Math.max(
        region.y1 - region.y0,
        region.x1 - region.x0,
        Math.round((0.5 + 0.4 * random()) * Math.min(h, w)),
      );
      // a square inside the image (where it fits) that holds the region
      const place = (lo: number, hi: number, len: number) => {
        const min = Math.max(0, hi - side);
        const max = Math.min(lo, len - side);
        return max >= min ? min + Math.floor(random() * (max - min + 1)) : Math.round((lo + hi - side) / 2);
      };
      const y0 = place(region.y0, region.y1, h);
      const x0 = place(region.x0, region.x1, w);
      const box = { y0, x0, y1: y0 + side, x1: x0 + side };
      out.push({
        image: cropImage(s.image, box, { pad: 'edge' }),
        mask: cropImage(mask, box, { pad: 'zero' }),
      });
    }
  }
  return out;
}

/**
 * The segmenter's training pairs: crops around each slice's true region (myocardium ∪ LV) with the frame,
 * plus `jitterCopies` crops around boxes moved by up to `cropJitter`, so the segmenter learns to tolerate the
 * localizer's error. Slices without the region are skipped.
 */
export function segmenterSamples(
  slices: readonly LabeledSlice[],
  preset: Pick<PipelinePreset, 'frame' | 'cropJitter' | 'jitterCopies'>,
  seed: number,
): SegmentationSample[] {
  const random = seededRandom(seed);
  const out: SegmentationSample[] = [];
  for (const s of slices) {
    const region = boundingBox(selectLabels(s.mask, LOCALIZATION_LABELS));
    if (!region) continue;
    const myo = selectLabels(s.mask, MYOCARDIUM_LABELS);
    const boxes = [
      region,
      ...Array.from({ length: preset.jitterCopies }, () => jitterBox(region, preset.cropJitter, random)),
    ];
    for (const b of boxes) {
      const box = squareCropBox(b, { frame: preset.frame });
      out.push({
        image: cropImage(s.image, box, { pad: 'edge' }),
        mask: cropImage(myo, box, { pad: 'zero' }),
      });
    }
  }
  return out;
}

/**
 * Cross-entropy class weights √(max share / share) from the pixel shares of each class in `samples`' masks (a
 * class that never occurs gets weight 1).
 */
export function balancedClassWeights(samples: readonly SegmentationSample[], numClasses: number): number[] {
  const counts = new Float64Array(numClasses);
  for (const s of samples) {
    const [h, w] = s.mask.shape;
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) counts[s.mask.get(y, x)]++;
  }
  const most = Math.max(...counts);
  return Array.from(counts, (c) => (c > 0 ? Math.sqrt(most / c) : 1));
}

/** Options of {@link trainStage}. */
export interface TrainStageOptions {
  /** Encoder, width, epochs, learning rate, augmentation, normalization. */
  preset: PipelinePreset;
  /** Network input `[h, w]`. */
  size: [number, number];
  /** Output classes (background included). */
  numClasses: number;
  /** Seed of the initial weights and the batches. */
  seed: number;
  /** Weigh the cross-entropy with {@link balancedClassWeights} of the training masks (default false). */
  balanceClasses?: boolean;
  /** Progress events, tagged with the stage's name. */
  onProgress?: (p: PipelineProgress) => void;
  /** Extra training callbacks. */
  callbacks?: readonly TrainingCallback[];
  /** Called after every completed epoch with the fine-tune's state (see `fineTune`'s `onCheckpoint`). */
  onCheckpoint?: (checkpoint: FineTuneCheckpoint) => void | Promise<void>;
  /** Resume from such a state (see `fineTune`'s `resume`). */
  resume?: FineTuneCheckpoint;
  /** Makes the network's optimizer step (see {@link TrainSegmenterOptions.trainer}). */
  trainer?: StageTrainerFactory;
}

/** The untrained U-Net of one stage: the preset's encoder and width at `size`, seeded. */
export function stageModel(
  preset: PipelinePreset,
  size: readonly [number, number],
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  return buildUNet({
    encoder: preset.encoder,
    inputShape: [size[0], size[1], preset.channels],
    numClasses,
    widthMultiplier: preset.widthMultiplier,
    seed,
  });
}

/** Trains one 2-class (or n-class) U-Net the fastai way on `samples` at `size`. */
export async function trainStage(
  name: string,
  samples: readonly SegmentationSample[],
  validation: readonly SegmentationSample[],
  options: TrainStageOptions,
): Promise<TrainedStage> {
  const { preset, size, numClasses, seed, onProgress } = options;
  if (samples.length === 0)
    throw new InsufficientDataError(`trainSegmenter: no training samples for the ${name}`);
  const model = stageModel(preset, size, numClasses, seed);
  const dataOptions = {
    size,
    numClasses,
    channels: preset.channels,
    normalize: preset.normalization,
    batchSize: preset.batchSize,
  };
  const data = segmentationData(samples, {
    ...dataOptions,
    shuffle: true,
    augment: preset.augment,
    dropLast: samples.length > preset.batchSize,
  });
  const valData = validation.length > 0 ? segmentationData(validation, dataOptions) : undefined;
  const epochs = preset.frozenEpochs + preset.epochs;
  // the unfrozen phase's epochs follow the frozen ones; a run resumed in the unfrozen phase starts there
  let phase = options.resume?.phase === 'unfrozen' ? 0 : -1;
  let epochBase = 0;
  const progress: TrainingCallback = {
    onTrainBegin: () => {
      phase++;
      epochBase = phase === 1 ? preset.frozenEpochs : 0;
    },
    onBatchEnd: (logs) =>
      onProgress?.({
        stage: name,
        event: 'batch',
        epoch: epochBase + logs.epoch,
        epochs,
        batch: logs.batch,
        batches: data.batchesPerEpoch,
        loss: logs.loss,
      }),
    onEpochEnd: (logs) => {
      onProgress?.({
        stage: name,
        event: 'epoch',
        epoch: epochBase + logs.epoch,
        epochs,
        loss: logs.loss,
        valDice: logs.valDice,
      });
    },
  };
  const classWeights = options.balanceClasses ? balancedClassWeights(samples, numClasses) : undefined;
  const trainer = await options.trainer?.(model);
  const history = await fineTune(model, data, {
    loss: classWeights ? (yTrue, yPred) => diceCrossEntropyLoss(yTrue, yPred, { classWeights }) : undefined,
    frozenEpochs: preset.frozenEpochs,
    epochs: preset.epochs,
    baseLr: preset.baseLr,
    lrFind: { iterations: preset.lrFindIterations },
    seed,
    validation: valData,
    callbacks: [progress, ...(options.callbacks ?? [])],
    onCheckpoint: options.onCheckpoint,
    resume: options.resume,
    trainBatch: trainer?.trainBatch,
  }).finally(() => trainer?.dispose());
  onProgress?.({ stage: name, event: 'done' });
  return { model, history };
}

/**
 * Trains the whole method on annotated slices: splits patients 60/20/20 (seeded, stratified by group), trains
 * the localizer on myocardium ∪ LV at the preset's size, trains the segmenter on framed (and jittered) crops of
 * the myocardium, then fits the σ regression on the second split (the best σ of 0…1 per slice, least squares
 * on the crop width). The third split is the validation set of both networks.
 *
 * @param slices - annotated slices with ACDC labels.
 * @throws InsufficientDataError when a split has no usable slice.
 */
export async function trainSegmenter(
  slices: readonly LabeledSlice[],
  options: TrainSegmenterOptions = {},
): Promise<TrainedPipeline> {
  const preset = resolvePreset(options.preset ?? 'quick');
  const { seed = 0, ratios = [0.6, 0.2, 0.2], onProgress } = options;
  if (slices.length === 0) throw new InsufficientDataError('trainSegmenter: no slices given');
  const [train, sigmaSet, validation] = splitByPatient(slices, {
    ratios,
    seed,
    stratifyBy: (s) => s.group ?? '',
  });
  if (train.length === 0)
    throw new InsufficientDataError(
      `trainSegmenter: the training split is empty (${patients(slices).length} patients)`,
    );

  const split = { train: patients(train), sigma: patients(sigmaSet), validation: patients(validation) };
  const { resume, checkpoint } = options;
  if (resume !== undefined) checkResumable(resume, { seed, preset, split });
  const run = { seed, preset, split };
  let loc: TrainedStage;
  if (resume?.stage === 'segmenter' && resume.localizer !== undefined) {
    const model = stageModel(preset, preset.localizerSize, 2, seed);
    assignWeights(model, resume.localizer.weights);
    loc = { model, history: resume.localizer.history };
  } else {
    loc = await trainStage(
      'localizer',
      localizerSamples(train, preset.zoomCopies, seed),
      localizerSamples(validation, 0, seed),
      {
        preset,
        size: preset.localizerSize,
        numClasses: 2,
        seed,
        onProgress,
        callbacks: options.callbacks,
        trainer: options.trainer,
        resume: resume?.current,
        onCheckpoint: checkpoint && ((current) => checkpoint({ ...run, stage: 'localizer', current })),
      },
    );
  }
  const localizerWeights = checkpoint ? copyWeights(loc.model) : [];
  const seg = await trainStage(
    'segmenter',
    segmenterSamples(train, preset, seed),
    segmenterSamples(validation, { ...preset, jitterCopies: 0 }, seed),
    {
      preset: segmenterPreset(preset),
      size: preset.segmenterSize,
      numClasses: 2,
      seed: seed + 1,
      onProgress,
      callbacks: options.callbacks,
      trainer: options.trainer,
      resume: resume?.stage === 'segmenter' ? resume.current : undefined,
      onCheckpoint:
        checkpoint &&
        ((current) =>
          checkpoint({
            ...run,
            stage: 'segmenter',
            localizer: { weights: localizerWeights, history: loc.history },
            current,
          })),
    },
  ).finally(() => tf.dispose(localizerWeights));

  const stageOptions = { normalization: preset.normalization };
  const draft = new MyocardiumSegmenter({
    localizer: tfStage(loc.model, stageOptions),
    segmenter: tfStage(seg.model, stageOptions),
    sigma: 0,
    frame: preset.frame,
    largestComponent: preset.largestComponent,
    refinePasses: preset.refinePasses,
  });
  const sigmaSamples = await fitSigmaSamples(draft, sigmaSet.length > 0 ? sigmaSet : validation);
  onProgress?.({ stage: 'sigma', event: 'done' });
  let sigma: SigmaRegression | number;
  try {
    sigma = fitSigmaRegression(sigmaSamples);
  } catch (e) {
    if (!(e instanceof InsufficientDataError)) throw e;
    const sorted = sigmaSamples.map((s) => s.sigma).sort((a, b) => a - b);
    sigma = sorted.length > 0 ? sorted[Math.floor(sorted.length / 2)] : 0;
  }
  return {
    segmenter: new MyocardiumSegmenter({
      localizer: draft.localizer,
      segmenter: draft.segmenter,
      sigma,
      frame: preset.frame,
      largestComponent: preset.largestComponent,
      refinePasses: preset.refinePasses,
    }),
    localizerModel: loc.model,
    segmenterModel: seg.model,
    sigma,
    sigmaSamples,
    split,
    preset,
    history: { localizer: loc.history, segmenter: seg.history },
  };
}

/**
 * The σ regression's training points: for each slice, the pipeline's own low-resolution mask (localizer crop,
 * segmenter output) and the best σ of the grid against the true myocardium in that crop.
 */
export async function fitSigmaSamples(
  pipeline: MyocardiumSegmenter,
  slices: readonly LabeledSlice[],
): Promise<SigmaSample[]> {
  const results = await pipeline.segmentBatch(slices.map((s) => s.image));
  const out: SigmaSample[] = [];
  results.forEach((r, i) => {
    if (!r.found || !r.cropBox || !r.lowRes) return;
    const truth = cropImage(selectLabels(slices[i].mask, MYOCARDIUM_LABELS), r.cropBox, { pad: 'zero' });
    if (!truth.data.some((v) => v !== 0)) return;
    out.push({ width: r.cropBox.x1 - r.cropBox.x0, sigma: bestSigma(r.lowRes, truth).sigma });
  });
  return out;
}
