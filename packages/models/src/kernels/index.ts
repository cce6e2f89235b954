export { registerWasmTrainingKernels } from './register-wasm';
