import {
  type AxisCodes,
  bestSigma,
  cropImage,
  fitSigmaRegression,
  InsufficientDataError,
  MYOCARDIUM_LABELS,
  type SigmaRegression,
  type SigmaSample,
  selectLabels,
  splitByPatient,
} from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { PatientSplitIds } from '../files/pipeline-folder-schema';
import type { TrainingCallback } from '../training/callbacks';
import type { FineTuneResult } from '../training/fine-tune';
import { assignWeights } from '../training/fine-tune-checkpoint';
import type { StageTrainerFactory } from '../training/train-step';
import { localizerSamples, segmenterSamples } from './build-samples';
import type { LabeledSlice } from './labeled-slice';
import { MyocardiumPipeline } from './pipeline';
import { checkResumable, copyWeights, type PipelineCheckpoint } from './pipeline-checkpoint';
import {
  type PipelinePreset,
  type PresetName,
  type PresetOverride,
  resolvePreset,
  segmenterPreset,
} from './presets';
import { tfStage } from './stage';
import { type PipelineProgress, stageModel, type TrainedStage, trainStage } from './train-stage';

export type { PatientSplitIds } from '../files/pipeline-folder-schema';

/** Options of {@link trainPipeline}. */
export interface TrainPipelineOptions {
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
  /**
   * The axis codes of the training volumes' affines (e.g. `'RAS'`, see `orientationOf` of `@myoseg/core`),
   * recorded in the pipeline so that inputs stored in other orientations are turned to it. Absent: not recorded.
   */
  orientation?: AxisCodes;
}

/** Training logs of both networks. */
export interface PipelineHistory {
  /** The localizer's fine-tuning. */
  localizer: FineTuneResult;
  /** The segmenter's fine-tuning. */
  segmenter: FineTuneResult;
}

/** What {@link trainPipeline} returns. */
export interface TrainedPipeline {
  /** The ready pipeline. */
  pipeline: MyocardiumPipeline;
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

/**
 * Trains the whole method on annotated slices: splits patients 60/20/20 (seeded, stratified by group), trains
 * the localizer on myocardium ∪ LV at the preset's size, trains the segmenter on framed (and jittered) crops of
 * the myocardium, then fits the σ regression on the second split (the best σ of 0…1 per slice, least squares
 * on the crop width). The third split is the validation set of both networks.
 *
 * @param slices - annotated slices with ACDC labels.
 * @throws InsufficientDataError when a split has no usable slice.
 */
export async function trainPipeline(
  slices: readonly LabeledSlice[],
  options: TrainPipelineOptions = {},
): Promise<TrainedPipeline> {
  const preset = resolvePreset(options.preset ?? 'quick');
  const { seed = 0, ratios = [0.6, 0.2, 0.2], onProgress } = options;
  if (slices.length === 0) throw new InsufficientDataError('trainPipeline: no slices given');
  const [train, sigmaSet, validation] = splitByPatient(slices, {
    ratios,
    seed,
    stratifyBy: (s) => s.group ?? '',
  });
  if (train.length === 0)
    throw new InsufficientDataError(
      `trainPipeline: the training split is empty (${patients(slices).length} patients)`,
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
  const draft = new MyocardiumPipeline({
    localizer: tfStage(loc.model, stageOptions),
    cropSegmenter: tfStage(seg.model, stageOptions),
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
    pipeline: new MyocardiumPipeline({
      localizer: draft.localizer,
      cropSegmenter: draft.cropSegmenter,
      sigma,
      frame: preset.frame,
      largestComponent: preset.largestComponent,
      refinePasses: preset.refinePasses,
      orientation: options.orientation,
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
  pipeline: MyocardiumPipeline,
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
