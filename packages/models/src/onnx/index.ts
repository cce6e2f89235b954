export { OnnxExportError } from './errors';
export { type ExportOnnxOptions, exportOnnx, ONNX_IR_VERSION, ONNX_OPSET_VERSION } from './export-onnx';
export { toConvWeight } from './kernel-layout';
export {
  exportTrainingOnnx,
  type FlippedKernelInput,
  type TrainingBatchNorm,
  type TrainingGraphs,
  type TrainingWeight,
} from './training-graph';
