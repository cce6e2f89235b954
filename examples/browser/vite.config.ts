import { defineConfig } from 'vite';

/**
 * Cross-origin isolation: with these headers the page gets SharedArrayBuffer, so onnxruntime-web's wasm runs on
 * several threads. A server without them still serves a working page (wasm on one thread, or WebGPU).
 */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The page is served from any folder (the end-to-end test serves dist/ under its own root), hence relative URLs.
export default defineConfig({
  base: './',
  build: {
    target: 'es2022',
    // onnxruntime-web (in the worker) and niivue are large chunks by nature; splitting them gains nothing here.
    chunkSizeWarningLimit: 4096,
  },
  // the pipeline worker is an ES module (onnxruntime-web finds its .wasm next to it through import.meta.url)
  worker: { format: 'es' },
  server: { headers: isolation },
  preview: { headers: isolation },
});
