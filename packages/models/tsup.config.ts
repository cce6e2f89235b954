import { defineConfig } from 'tsup';
import { baseBuild } from '../../tsup.base';

// One entry per audience: the root (inference, model building, folders), /training, /onnx and /kernels. Splitting
// puts their shared code in chunks, so every entry sees the same classes (instanceof works across them).
export default defineConfig({
  ...baseBuild,
  entry: ['src/index.ts', 'src/training.ts', 'src/onnx.ts', 'src/kernels.ts'],
  splitting: true,
});
