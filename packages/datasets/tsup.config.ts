import { defineConfig } from 'tsup';
import { baseBuild } from '../../tsup.base';

// Two entries: the browser-safe root and the Node folder loader/writer. Splitting puts their shared code in one
// chunk, so that both entries see the same error classes (instanceof works across them).
export default defineConfig({ ...baseBuild, entry: ['src/index.ts', 'src/node.ts'], splitting: true });
