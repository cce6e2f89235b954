import type { Image2D } from '@myoseg/core';
import ndarray from 'ndarray';
import { prepareInput } from '../pipeline/preprocess';
import type { SegmentationStage, TfStageOptions } from '../pipeline/stage';
import { type OnnxSession, OnnxStageError, type OnnxTensorConstructor } from './onnx-session';

/** A `SegmentationStage` that runs an ONNX model on an onnxruntime session (node or web). */
export interface OnnxStage extends SegmentationStage {
  /** The session that runs the model. */
  readonly session: OnnxSession;
  /** Frees the session's memory (also a session that was passed in); `predict` fails afterwards. */
  release(): Promise<void>;
}

/** Options of {@link onnxStage}: those of `tfStage`. */
export type OnnxStageOptions = Pick<TfStageOptions, 'normalization' | 'foregroundClasses' | 'batchSize'>;

/** `[h, w, channels, classes]` of a session whose input is `[N, h, w, 1 | 3]` and output `[N, h, w, classes]`. */
function stageShape(session: OnnxSession): [number, number, 1 | 3, number] {
  const input = session.inputMetadata[0]?.shape ?? [];
  const output = session.outputMetadata[0]?.shape ?? [];
  const [, h, w, c] = input;
  const classes = output[3];
  const known = (v: unknown): v is number => typeof v === 'number' && v > 0;
  if (input.length !== 4 || !known(h) || !known(w) || (c !== 1 && c !== 3)) {
    throw new OnnxStageError(
      `onnxStage: the model's input must be [N, height, width, 1 | 3] with fixed height and width, got [${input.join(', ')}]`,
    );
  }
  if (output.length !== 4 || output[1] !== h || output[2] !== w || !known(classes)) {
    throw new OnnxStageError(
      `onnxStage: the model's output must be [N, ${h}, ${w}, classes], got [${output.join(', ')}]`,
    );
  }
  return [h, w, c, classes];
}

/**
 * Wraps an onnxruntime session of an ONNX U-Net (from `exportOnnx`: NHWC input `[N, h, w, 1 | 3]`, softmax output
 * `[N, h, w, classes]`) as a `SegmentationStage`, with the arithmetic of `tfStage`: the same input normalization
 * (`prepareInput`), `foregroundClasses` summed, `batchSize` images per run. Browser-safe: the caller brings the
 * runtime, e.g. onnxruntime-web (WebGPU, or wasm with or without threads) in a page or a worker, or onnxruntime-node.
 *
 * @param session - `await ort.InferenceSession.create(bytes, { executionProviders })` of either runtime.
 * @param Tensor - that runtime's `ort.Tensor`.
 * @returns the stage; `predict` gives one `[h, w]` map of probabilities in [0, 1] per image, `[]` for none.
 * @throws {@link OnnxStageError} when the model's input or output shape is not as above, a foreground class is out of
 *   range, or `batchSize` is not an integer ≥ 1; `predict` when an image is not `[h, w]`.
 * @example
 * ```ts
 * import * as ort from 'onnxruntime-web/webgpu';
 * const session = await ort.InferenceSession.create(bytes, { executionProviders: ['webgpu', 'wasm'] });
 * const localizer = onnxStage(session, ort.Tensor, { normalization: manifest.preset.normalization });
 * ```
 */
export function onnxStage(
  session: OnnxSession,
  Tensor: OnnxTensorConstructor,
  options: OnnxStageOptions = {},
): OnnxStage {
  const { normalization = 'per-image', foregroundClasses = [1] } = options;
  const batchSize = options.batchSize ?? 8;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new OnnxStageError(`onnxStage: batchSize must be an integer ≥ 1, got ${String(batchSize)}`);
  const [h, w, channels, classes] = stageShape(session);
  for (const c of foregroundClasses) {
    if (!Number.isInteger(c) || c < 0 || c >= classes) {
      throw new OnnxStageError(`onnxStage: foregroundClasses has ${c}, but the model has ${classes} classes`);
    }
  }
  const inputSize: [number, number] = [h, w];
  const [inputName] = session.inputNames;
  const [outputName] = session.outputNames;
  const pixels = h * w;
  return {
    inputSize,
    channels,
    classes,
    session,
    release: () => session.release(),
    async predict(images) {
      const out: Image2D[] = [];
      for (let start = 0; start < images.length; start += batchSize) {
        const chunk = images.slice(start, start + batchSize);
        const batch = new Float32Array(chunk.length * pixels * channels);
        chunk.forEach((img, i) => {
          if (img.shape.length !== 2 || img.shape[0] !== h || img.shape[1] !== w) {
            throw new OnnxStageError(
              `onnxStage.predict: image ${start + i} is [${img.shape.join(', ')}], expected [${h}, ${w}]`,
            );
          }
          batch.set(prepareInput(img, inputSize, normalization, channels), i * pixels * channels);
        });
        const feeds = { [inputName]: new Tensor('float32', batch, [chunk.length, h, w, channels]) };
        const probs = (await session.run(feeds))[outputName].data as Float32Array;
        for (let i = 0; i < chunk.length; i++) {
          const fg = new Float32Array(pixels);
          for (let p = 0; p < pixels; p++) {
            const at = (i * pixels + p) * classes;
            for (const c of foregroundClasses) fg[p] += probs[at + c];
          }
          out.push(ndarray(fg, [h, w]));
        }
      }
      return out;
    },
  };
}
