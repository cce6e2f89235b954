export { OnnxExportError } from './errors';
export { type ExportOnnxOptions, exportOnnx, ONNX_IR_VERSION, ONNX_OPSET_VERSION } from './export-onnx';
export {
  exportTrainingOnnx,
  type FlippedKernelInput,
  type TrainingBatchNorm,
  type TrainingGraphs,
  type TrainingWeight,
} from './export-training-onnx';
export { toFloat16Compute } from './float16-compute';
export { toConvWeight } from './kernel-layout';
export {
  type LoadOnnxPipelineOptions,
  loadOnnxPipelineFiles,
  type OnnxLoadedPipeline,
  type OnnxRuntimeModule,
} from './load-onnx-pipeline';
export { OnnxFormatError } from './onnx-decode';
export {
  type OnnxSession,
  OnnxStageError,
  type OnnxTensor,
  type OnnxTensorConstructor,
  type OnnxValueMetadata,
} from './onnx-session';
export { type OnnxStage, type OnnxStageOptions, onnxStage } from './onnx-stage';
export {
  type OnnxPrecision,
  type OnnxPrecisionRequest,
  type OnnxRuntimeReport,
  type OnnxRuntimeRequest,
  OnnxRuntimeUnavailableError,
  type OnnxWebRuntime,
  type RuntimeEnvironment,
  type SkippedRuntime,
  type WebGpuAdapterLike,
  type WebGpuLike,
} from './web-runtime';
