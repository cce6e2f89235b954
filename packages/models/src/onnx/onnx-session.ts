import { MyosegError } from '@myoseg/core';

// The parts of onnxruntime's API (onnxruntime-node and onnxruntime-web alike) that myoseg's ONNX stages use, so that
// this package runs ONNX files without depending on either.

/** A float32 tensor of onnxruntime (`ort.Tensor`), as far as myoseg uses it. */
export interface OnnxTensor {
  /** Its shape. */
  readonly dims: readonly number[];
  /** Its values (a `Float32Array` for the float32 tensors myoseg feeds and reads). */
  readonly data: unknown;
}

/** onnxruntime's `Tensor` class, as far as myoseg uses it. */
export interface OnnxTensorConstructor {
  /** A float32 tensor of shape `dims` over `data` (not copied). */
  new (type: 'float32', data: Float32Array, dims: readonly number[]): OnnxTensor;
}

/** The name and shape of one input or output of an {@link OnnxSession}; string dimensions are symbolic. */
export interface OnnxValueMetadata {
  /** The input's or output's name. */
  readonly name: string;
  /** Whether it is a tensor. */
  readonly isTensor: boolean;
  /** Its shape, tensors only: numbers, or names for dynamic dimensions (`'N'`). */
  readonly shape?: readonly (number | string)[];
}

/** An onnxruntime `InferenceSession` (node or web), as far as myoseg uses it. */
export interface OnnxSession {
  /** The model's input names. */
  readonly inputNames: readonly string[];
  /** The model's output names. */
  readonly outputNames: readonly string[];
  /** The model's inputs, in order (onnxruntime ≥ 1.21). */
  readonly inputMetadata: readonly OnnxValueMetadata[];
  /** The model's outputs, in order (onnxruntime ≥ 1.21). */
  readonly outputMetadata: readonly OnnxValueMetadata[];
  /** Runs the model on `feeds` (by input name); resolves to the outputs by name. */
  run(feeds: Record<string, OnnxTensor>): Promise<Record<string, OnnxTensor>>;
  /** Frees the session's native memory. */
  release(): Promise<void>;
}

/**
 * An ONNX stage cannot be built or run: onnxruntime rejected the model bytes, the model's input or output is not
 * a U-Net's, or an option or image is out of range.
 */
export class OnnxStageError extends MyosegError {
  /** Always `'ONNX_STAGE'`. */
  override readonly code: string = 'ONNX_STAGE';
}
