import { defineConfig } from 'tsup';
import { baseBuild } from '../../tsup.base';

export default defineConfig([
  // import.meta.url (optional-peer resolution, package files) needs a shim in the CJS build; the queue entry shares
  // its chunks (error classes) with the root
  { ...baseBuild, entry: ['src/index.ts', 'src/queue.ts'], splitting: true, shims: true },
  // the `myoseg` command: ESM only, with a shebang
  {
    ...baseBuild,
    entry: ['src/cli.ts'],
    format: ['esm'],
    dts: false,
    clean: false,
    banner: { js: '#!/usr/bin/env node' },
  },
]);
