import { ShapeMismatchError } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { AdamW } from './adamw';
import type { SegmentationBatch, SegmentationData } from './data';
import type { TrainableParameter } from './layer-groups';
import type { SegmentationLoss } from './losses';

/** Hyper-parameters of one layer group at one step. */
export interface GroupHyper {
  /** Learning rate. */
  lr: number;
  /** Adam's β1. */
  mom: number;
  /** Decoupled weight decay (applied only to parameters with `decay`). */
  weightDecay: number;
}

/** Throws unless the data's batches fit the model's input and output shapes. */
export function checkDataFitsModel(what: string, model: LayersModel, data: SegmentationData): void {
  const input = model.inputs[0].shape;
  const output = model.outputs[0].shape;
  const { size, channels = 3, numClasses } = data.options;
  const x = [input[0], size[0], size[1], channels];
  const y = [output[0], size[0], size[1], numClasses];
  const fits = (shape: readonly (number | null)[], want: readonly (number | null)[]) =>
    shape.length === 4 && shape.every((n, i) => n === null || n === want[i]);
  if (!fits(input, x))
    throw new ShapeMismatchError(
      `${what}: model input vs data batches (size, channels)`,
      input.map(Number),
      x.map(Number),
    );
  if (!fits(output, y))
    throw new ShapeMismatchError(
      `${what}: model output vs data batches (size, numClasses)`,
      output.map(Number),
      y.map(Number),
    );
}

/** The gradients of one batch, from {@link computeGradients}; the caller disposes them (or runs inside `tf.tidy`). */
export interface BatchGradients {
  /** The objective's value on the batch, before any update. */
  value: tf.Scalar;
  /** The gradient of each listed variable, by `variable.name`; a variable the objective does not reach has none. */
  grads: tf.NamedTensorMap;
}

/**
 * The gradients of `objective(model(x))` with respect to the parameters, BatchNorm in training mode (so its
 * running statistics move, as in a step). No weight changes otherwise: {@link applyGradients} does the update.
 * Split from {@link trainBatch} so that a step can be spread over several replicas of the model (each computes
 * its shard's gradients, the sums are applied once).
 *
 * @param x - the inputs `[batch, h, w, channels]`.
 * @param objective - a scalar function of the model's output (`(p) => loss(y, p)` for a plain step).
 */
export function computeGradients(
  model: LayersModel,
  x: tf.Tensor4D,
  params: readonly TrainableParameter[],
  objective: (prediction: tf.Tensor4D) => tf.Scalar,
): BatchGradients {
  return tf.variableGrads(
    () => objective(model.apply(x, { training: true }) as tf.Tensor4D),
    params.map((p) => p.variable),
  );
}

/**
 * One optimizer update of every parameter that has a gradient in `grads` (by variable name), with the
 * hyper-parameters of its layer group; parameters without `decay` (BatchNorm, biases) get no weight decay.
 */
export function applyGradients(
  params: readonly TrainableParameter[],
  grads: tf.NamedTensorMap,
  optimizer: AdamW,
  hyper: readonly GroupHyper[],
): void {
  optimizer.applyGradients(
    params.flatMap((p) => {
      const gradient = grads[p.variable.name];
      if (gradient === undefined) return [];
      const h = hyper[p.group];
      return [
        { variable: p.variable, gradient, lr: h.lr, mom: h.mom, weightDecay: p.decay ? h.weightDecay : 0 },
      ];
    }),
  );
}

/**
 * One optimizer step on `batch` (BatchNorm in training mode, so its running statistics move too):
 * `computeGradients` of `loss(batch.y, ·)`, then `applyGradients`.
 *
 * @returns the batch's loss before the step.
 */
export async function trainBatch(
  model: LayersModel,
  batch: SegmentationBatch,
  params: readonly TrainableParameter[],
  loss: SegmentationLoss,
  optimizer: AdamW,
  hyper: readonly GroupHyper[],
): Promise<number> {
  const value = tf.tidy(() => {
    const { value, grads } = computeGradients(model, batch.x, params, (p) => loss(batch.y, p));
    applyGradients(params, grads, optimizer, hyper);
    return value;
  });
  const [v] = await value.data();
  value.dispose();
  return v;
}

/** One optimizer step of a model on a batch: {@link trainBatch}'s signature, which a data-parallel step keeps. */
export type TrainBatch = typeof trainBatch;

/**
 * A network's outputs in inference mode (BatchNorm on its running statistics) for one validation pass, computed
 * elsewhere than by tfjs (e.g. by onnxruntime); made from the weights the network has when the pass starts.
 */
export interface Predictor {
  /**
   * `model.apply(x, { training: false })`'s values.
   *
   * @param x - `[N, h, w, channels]`, as the network takes it.
   * @returns `[N, h, w, classes]`; the caller disposes it.
   */
  predict(x: tf.Tensor4D): Promise<tf.Tensor4D>;
  /** Releases what the predictor holds. */
  dispose(): void | Promise<void>;
}

/** Makes a {@link Predictor} of `model`'s current weights. */
export type PredictorFactory = (model: LayersModel) => Promise<Predictor>;

/**
 * How one network trains, when not on the calling thread alone: its optimizer step and how to release what the
 * step holds (worker threads). `@myoseg/node`'s `createDataParallelTrainer(model)` returns one.
 */
export interface StageTrainer {
  /** Replaces {@link trainBatch} for this network (its `model` argument is always the network it was made for). */
  readonly trainBatch: TrainBatch;
  /** Computes the validation passes' outputs, when given (default: tfjs, on the calling thread). */
  readonly predictor?: PredictorFactory;
  /** Called once the network's training ends, failed or not. */
  dispose(): void | Promise<void>;
}

/**
 * Makes the {@link StageTrainer} of a network that is about to train; the pipeline's trainers call it once per
 * network, e.g. `(model) => createDataParallelTrainer(model, { replicas: 2 })`.
 */
export type StageTrainerFactory = (model: LayersModel) => Promise<StageTrainer>;

/** A copy of every weight of the model (trainable or not, BatchNorm statistics included). */
export function snapshotWeights(model: LayersModel): { restore(): void; dispose(): void } {
  const variables = model.weights.map((w) => w.read() as tf.Variable);
  const copies = variables.map((v) => tf.clone(v));
  return {
    restore: () => {
      for (const [i, v] of variables.entries()) v.assign(copies[i]);
    },
    dispose: () => tf.dispose(copies),
  };
}
