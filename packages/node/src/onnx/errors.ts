export { OnnxStageError } from '@myoseg/models/onnx';
