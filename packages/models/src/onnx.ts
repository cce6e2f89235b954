// `@myoseg/models/onnx`: ONNX export of the networks (inference) and of a training step (forward + backward).
export * from './onnx/index';
