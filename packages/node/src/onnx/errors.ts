/**
 * An ONNX stage cannot be built or run: onnxruntime rejected the model bytes, the model's input or output is not
 * a U-Net's, or an option or image is out of range. A `RangeError`, like the errors of `tfStage`.
 */
export class OnnxStageError extends RangeError {
  /** @param message - which input (model, option, image) and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = 'OnnxStageError';
  }
}
