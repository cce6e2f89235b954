import type { Image2D, NumericNdArray } from '@myoseg/core';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import type { Normalization } from '../training/normalization-schema';
import { prepareInput } from './preprocess';

/**
 * One deep-learning step of the pipeline (the localizer or the segmenter), seen from the pipeline: images in,
 * foreground probability maps out. Anything that honours this contract can stand in for a network (an ONNX
 * session, a test oracle).
 */
export interface SegmentationStage {
  /** `[h, w]` of the network input; the pipeline resizes to it. */
  readonly inputSize: readonly [number, number];
  /** Input channels of the network, when known (checked against a model folder's manifest). */
  readonly channels?: 1 | 3;
  /** Softmax classes of the network's output, when known (checked against a model folder's manifest). */
  readonly classes?: number;
  /**
   * Foreground probabilities for a batch of images.
   *
   * @param images - `[h, w]` each, already at `inputSize`, raw intensities (the stage normalizes).
   * @returns one `[h, w]` map per image, values in [0, 1].
   */
  predict(images: readonly NumericNdArray[]): Promise<Image2D[]>;
}

/** Options of {@link tfStage}. */
export interface TfStageOptions {
  /** How inputs are normalized; must match training. Default `'per-image'`. */
  normalization?: Normalization;
  /** Softmax channels that count as foreground (summed). Default `[1]`. */
  foregroundClasses?: readonly number[];
  /** Images per forward pass. Default 8. */
  batchSize?: number;
}

/**
 * Wraps a trained tfjs U-Net (softmax output `[h, w, classes]`) as a {@link SegmentationStage}. Every
 * intermediate tensor is freed.
 */
export function tfStage(model: tfl.LayersModel, options: TfStageOptions = {}): SegmentationStage {
  const { normalization = 'per-image', foregroundClasses = [1], batchSize = 8 } = options;
  const [, h, w, channels] = model.inputs[0].shape as [null, number, number, number];
  const classes = (model.outputs[0].shape as number[])[3];
  if (!Number.isInteger(h) || !Number.isInteger(w) || (channels !== 1 && channels !== 3)) {
    throw new RangeError(
      `tfStage: the model's input must be [batch, h, w, 1 | 3], got [${model.inputs[0].shape.join(', ')}]`,
    );
  }
  for (const c of foregroundClasses) {
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new RangeError(`tfStage: foregroundClasses has ${c}, but the model has ${classes} classes`);
    }
  }
  const inputSize: [number, number] = [h, w];
  return {
    inputSize,
    channels,
    classes,
    async predict(images) {
      const out: Image2D[] = [];
      for (let start = 0; start < images.length; start += batchSize) {
        const chunk = images.slice(start, start + batchSize);
        const batch = new Float32Array(chunk.length * h * w * channels);
        chunk.forEach((img, i) => {
          if (img.shape[0] !== h || img.shape[1] !== w) {
            throw new RangeError(
              `tfStage.predict: image ${start + i} is [${img.shape.join(', ')}], expected [${h}, ${w}]`,
            );
          }
          batch.set(prepareInput(img, inputSize, normalization, channels), i * h * w * channels);
        });
        const fg = tf.tidy(() => {
          const probs = model.predict(tf.tensor4d(batch, [chunk.length, h, w, channels])) as tf.Tensor4D;
          const picked = foregroundClasses.map((c) => tf.slice(probs, [0, 0, 0, c], [-1, -1, -1, 1]));
          return tf.reshape(tf.addN(picked), [chunk.length, h, w]);
        });
        const data = (await fg.data()) as Float32Array;
        fg.dispose();
        for (let i = 0; i < chunk.length; i++)
          out.push(ndarray(data.slice(i * h * w, (i + 1) * h * w), [h, w]));
      }
      return out;
    },
  };
}
