import * as tf from '@tensorflow/tfjs-core';
import { tensorValues } from './shared-weights';

/** What one replica shares with the others during one step. */
export interface StepExchange {
  /** The step number (from 1). */
  step: number;
  /** The replica's rows `[start, end)` of the batch. */
  rows: readonly [number, number];
  /** The whole batch's outputs (every replica writes its rows). */
  outputs: Float32Array;
  /** The loss's gradient with respect to them (replica 0 writes it). */
  cotangents: Float32Array;
}

/**
 * The objective whose parameter gradient is this replica's share of the whole batch's: `Σ output · cotangent` over
 * its rows, where the cotangent is the loss's gradient with respect to those outputs, given every replica's outputs.
 * Summed over replicas, these gradients are the one-batch gradient exactly (BatchNorm apart: each replica normalizes
 * its own rows). `exchange` runs once this replica's outputs are written: it returns when the cotangents are.
 */
export function shardObjective(
  shared: StepExchange,
  exchange: () => void,
): (prediction: tf.Tensor4D) => tf.Scalar {
  return (prediction) => {
    const [, h, w, c] = prediction.shape;
    const rowSize = h * w * c;
    const [start, end] = shared.rows;
    shared.outputs.set(tensorValues(tf.backend(), prediction), start * rowSize);
    exchange();
    const cotangent = tf.tensor4d(
      shared.cotangents.subarray(start * rowSize, end * rowSize),
      prediction.shape,
    );
    return tf.sum(tf.mul(prediction, cotangent));
  };
}
