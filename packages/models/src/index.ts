export * from './architecture';
export * from './files';
export * from './kernels';
export * from './onnx';
export * from './pipeline';
export * from './training';
export * from './weights';
