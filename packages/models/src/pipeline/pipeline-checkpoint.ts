import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { TrainingOptionsError } from '../training/errors';
import type { FineTuneResult } from '../training/fine-tune';
import { disposeFineTuneCheckpoint, type FineTuneCheckpoint } from '../training/fine-tune-checkpoint';
import { stableWeightOrder } from '../training/layer-groups';
import type { PipelinePreset } from './presets';
import type { PatientSplitIds } from './train-pipeline';

/**
 * Where a {@link trainPipeline} run stands after a completed epoch: enough to resume it with the same result
 * as an uninterrupted run. Its tensors belong to whoever holds it ({@link disposePipelineCheckpoint}).
 */
export interface PipelineCheckpoint {
  /** The run's seed. */
  seed: number;
  /** The run's resolved preset. */
  preset: PipelinePreset;
  /** The run's patient split (resuming on other data is refused). */
  split: PatientSplitIds;
  /** The network being trained. */
  stage: 'localizer' | 'segmenter';
  /** The finished localizer, once the segmenter's training has begun. */
  localizer?: {
    /** Its weights, in `stableWeightOrder`. */
    weights: tf.Tensor[];
    /** Its training logs. */
    history: FineTuneResult;
  };
  /** The current network's fine-tune state. */
  current: FineTuneCheckpoint;
}

/** Frees a pipeline checkpoint's tensors. */
export function disposePipelineCheckpoint(checkpoint: PipelineCheckpoint): void {
  if (checkpoint.localizer) tf.dispose(checkpoint.localizer.weights);
  disposeFineTuneCheckpoint(checkpoint.current);
}

/** Copies of a model's weights in `stableWeightOrder`. */
export function copyWeights(model: LayersModel): tf.Tensor[] {
  return stableWeightOrder(model).map((w) => tf.clone(w.read()));
}

/**
 * Refuses to resume a run with another seed, preset or split than the checkpoint's.
 *
 * @throws {@link TrainingOptionsError} naming the field that differs.
 */
export function checkResumable(
  checkpoint: PipelineCheckpoint,
  run: Pick<PipelineCheckpoint, 'seed' | 'preset' | 'split'>,
): void {
  if (checkpoint.stage === 'segmenter' && checkpoint.localizer === undefined)
    throw new TrainingOptionsError(
      "resume: a checkpoint of the segmenter's training must hold the localizer",
    );
  const differ = (field: keyof typeof run) =>
    JSON.stringify(checkpoint[field]) !== JSON.stringify(run[field]);
  if (differ('seed'))
    throw new TrainingOptionsError(
      `resume: the checkpoint was made with seed ${checkpoint.seed}, this run has seed ${run.seed}`,
    );
  if (differ('preset')) {
    const fields = Object.keys(run.preset).filter(
      (k) =>
        JSON.stringify((checkpoint.preset as unknown as Record<string, unknown>)[k]) !==
        JSON.stringify((run.preset as unknown as Record<string, unknown>)[k]),
    );
    throw new TrainingOptionsError(
      `resume: the checkpoint was made with another preset (differs in ${fields.join(', ')})`,
    );
  }
  if (differ('split'))
    throw new TrainingOptionsError(
      'resume: the checkpoint was made on other patients (the training/σ/validation split differs)',
    );
}
