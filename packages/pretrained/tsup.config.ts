import { defineConfig } from 'tsup';
import { baseBuild } from '../../tsup.base';

// Two entries: the browser-safe loader and the Node one that knows where the package's model folder lies
// (`shims` gives the CommonJS build an `import.meta.url`).
export default defineConfig({
  ...baseBuild,
  entry: ['src/index.ts', 'src/node.ts'],
  splitting: true,
  shims: true,
});
