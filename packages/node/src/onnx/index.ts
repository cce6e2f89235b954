export { OnnxStageError } from './errors';
export { type OrtStage, type OrtStageOptions, ortStage } from './ort-stage';
export { createOrtTrainer, type OrtTrainer, type OrtTrainerOptions } from './ort-trainer';
export {
  loadOnnxRuntime,
  ONNX_RUNTIME_PACKAGE,
  type OnnxExecutionProvider,
  type OnnxRuntime,
  type OnnxRuntimeLoad,
  type OnnxSession,
  type OnnxSessionOptions,
  type OnnxTensor,
  type OnnxTensorConstructor,
  type OnnxValueMetadata,
} from './runtime';
export { probeWebGpu, type WebGpuProbe } from './webgpu-probe';
