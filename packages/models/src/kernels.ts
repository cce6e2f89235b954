// `@myoseg/models/kernels`: tfjs-backend-wasm kernels for training (AdamW as one SIMD pass, gradients).
export * from './kernels/index';
