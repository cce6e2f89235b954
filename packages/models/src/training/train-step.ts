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

/**
 * One optimizer step on `batch` (BatchNorm in training mode, so its running statistics move too).
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
    const { value, grads } = tf.variableGrads(
      () => loss(batch.y, model.apply(batch.x, { training: true }) as tf.Tensor4D),
      params.map((p) => p.variable),
    );
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
    return value;
  });
  const [v] = await value.data();
  value.dispose();
  return v;
}

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
