import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AdamW, AdamWMoments } from './adamw';
import { TrainingOptionsError } from './errors';
import type { FineTunePhase } from './fine-tune';
import { stableWeightOrder } from './layer-groups';

/** One variable's optimizer moments, by its index in {@link stableWeightOrder}. */
export interface IndexedMoments extends AdamWMoments {
  /** Index of the variable in {@link stableWeightOrder}. */
  index: number;
}

/**
 * Everything a fine-tune needs to go on after its last completed epoch, exactly as if it had not stopped: the
 * phase and epoch, the phases' rates and logs, a copy of every weight (BatchNorm statistics included) and the
 * optimizer's moments. Its tensors belong to whoever holds it: free them with {@link disposeFineTuneCheckpoint}.
 */
export interface FineTuneCheckpoint {
  /** The phase of the last completed epoch. */
  phase: 'frozen' | 'unfrozen';
  /** Epochs of that phase completed (1 after its first epoch). */
  epoch: number;
  /** The frozen phase (its logs so far). */
  frozen: FineTunePhase;
  /** The unfrozen phase, once it has started. */
  unfrozen?: FineTunePhase;
  /** Copies of every weight, in {@link stableWeightOrder}. */
  weights: tf.Tensor[];
  /** The optimizer's moments of each variable it has updated. */
  moments: IndexedMoments[];
}

/** Copies the model's weights and the optimizer's moments into a checkpoint. */
export function captureFineTune(
  model: LayersModel,
  optimizer: AdamW,
  progress: Omit<FineTuneCheckpoint, 'weights' | 'moments'>,
): FineTuneCheckpoint {
  const variables = stableWeightOrder(model).map((w) => w.read());
  const state = optimizer.getState();
  const moments: IndexedMoments[] = [];
  for (const [v, m] of state.entries) {
    const index = variables.indexOf(v);
    if (index < 0) tf.dispose([m.gradAvg, m.sqrAvg]);
    else moments.push({ index, ...m });
  }
  return { ...progress, weights: variables.map((v) => tf.clone(v)), moments };
}

/**
 * Puts a checkpoint's weights into `model` and its moments into `optimizer`.
 *
 * @throws {@link TrainingOptionsError} when the checkpoint was made for another architecture (count or shapes).
 */
export function restoreFineTune(model: LayersModel, optimizer: AdamW, checkpoint: FineTuneCheckpoint): void {
  const variables = assignWeights(model, checkpoint.weights);
  const entries = new Map<tf.Variable, AdamWMoments>();
  for (const m of checkpoint.moments) {
    const v = variables[m.index];
    if (v === undefined || m.gradAvg.shape.join() !== v.shape.join()) {
      throw new TrainingOptionsError(
        `resume: the optimizer moments of weight ${m.index} do not fit the model`,
      );
    }
    entries.set(v, { step: m.step, gradAvg: m.gradAvg, sqrAvg: m.sqrAvg });
  }
  optimizer.setState({ entries, dispose: () => {} });
}

/**
 * Sets every weight of `model` (in {@link stableWeightOrder}) from `weights`, after checking count and shapes.
 *
 * @returns the model's variables, in that order.
 * @throws {@link TrainingOptionsError} when the weights were made for another architecture.
 */
export function assignWeights(model: LayersModel, weights: readonly tf.Tensor[]): tf.Variable[] {
  const order = stableWeightOrder(model);
  const variables = order.map((w) => w.read() as tf.Variable);
  if (weights.length !== variables.length) {
    throw new TrainingOptionsError(
      `resume: the checkpoint holds ${weights.length} weights, the model has ${variables.length}`,
    );
  }
  variables.forEach((v, i) => {
    if (weights[i].shape.join() !== v.shape.join()) {
      throw new TrainingOptionsError(
        `resume: weight ${i} (${order[i].name}) is [${weights[i].shape}] in the checkpoint, [${v.shape}] in the model`,
      );
    }
  });
  variables.forEach((v, i) => {
    v.assign(weights[i]);
  });
  return variables;
}

/** Frees a checkpoint's tensors. */
export function disposeFineTuneCheckpoint(checkpoint: FineTuneCheckpoint): void {
  tf.dispose(checkpoint.weights);
  for (const m of checkpoint.moments) tf.dispose([m.gradAvg, m.sqrAvg]);
}
