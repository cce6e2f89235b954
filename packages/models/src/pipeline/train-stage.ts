import { InsufficientDataError } from '@myoseg/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { buildUNet } from '../architecture';
import type { TrainingCallback } from '../training/callbacks';
import { type SegmentationSample, segmentationData } from '../training/data';
import { type FineTuneResult, fineTune } from '../training/fine-tune';
import type { FineTuneCheckpoint } from '../training/fine-tune-checkpoint';
import { diceCrossEntropyLoss } from '../training/losses';
import type { StageTrainerFactory } from '../training/train-step';
import { balancedClassWeights } from './build-samples';
import type { PipelinePreset } from './presets';

/** Progress of {@link trainPipeline}, for progress bars and logs. */
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

/** One trained network and its logs. */
export interface TrainedStage {
  /** The network. */
  model: tfl.LayersModel;
  /** Its fine-tuning logs. */
  history: FineTuneResult;
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
  /** Makes the network's optimizer step (see {@link TrainPipelineOptions.trainer}). */
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
    throw new InsufficientDataError(`trainPipeline: no training samples for the ${name}`);
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
    validationPredictor: trainer?.predictor,
  }).finally(() => trainer?.dispose());
  onProgress?.({ stage: name, event: 'done' });
  return { model, history };
}
