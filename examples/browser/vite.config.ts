import { defineConfig } from 'vite';

// The page is served from any folder (the end-to-end test serves dist/ under its own root), hence relative URLs.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    // tfjs (core, layers, webgl, wasm) is one large chunk by nature; splitting it gains nothing here.
    chunkSizeWarningLimit: 4096,
  },
});
