export { OnnxExportError } from './errors';
export { type ExportOnnxOptions, exportOnnx, ONNX_IR_VERSION, ONNX_OPSET_VERSION } from './export-onnx';
export {
  exportTrainingOnnx,
  type FlippedKernelInput,
  type TrainingBatchNorm,
  type TrainingGraphs,
  type TrainingWeight,
} from './export-training-onnx';
export { toConvWeight } from './kernel-layout';
export {
  loadOnnxPipelineFiles,
  type OnnxLoadedPipeline,
  type OnnxRuntimeModule,
} from './load-onnx-pipeline';
export {
  type OnnxSession,
  OnnxStageError,
  type OnnxTensor,
  type OnnxTensorConstructor,
  type OnnxValueMetadata,
} from './onnx-session';
export { type OnnxStage, type OnnxStageOptions, onnxStage } from './onnx-stage';
