import { MyosegError } from '@myoseg/core';

/**
 * An ONNX stage cannot be built or run: onnxruntime rejected the model bytes, the model's input or output is not
 * a U-Net's, or an option or image is out of range.
 */
export class OnnxStageError extends MyosegError {
  /** Always `'ONNX_STAGE'`. */
  override readonly code: string = 'ONNX_STAGE';
}
