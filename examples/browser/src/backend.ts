import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-webgl';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
// Vite copies the three binaries into the build and gives their URLs, so the wasm backend finds them offline.
import wasmPlain from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimd from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';

/** The tfjs backends this page can run on, in the order it tries them. */
export const PAGE_BACKENDS = ['webgl', 'wasm'] as const;

/** One of {@link PAGE_BACKENDS}. */
export type PageBackend = (typeof PAGE_BACKENDS)[number];

/** What {@link startBackend} chose, and why. */
export interface BackendChoice {
  /** The backend tfjs now runs on. */
  name: PageBackend;
  /** A line for the page: the backend, its details (WebGL version; wasm SIMD and threads) and what failed first. */
  summary: string;
}

async function details(name: PageBackend): Promise<string> {
  if (name === 'webgl') return `WebGL ${tf.env().getNumber('WEBGL_VERSION')}`;
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return `${simd ? 'SIMD' : 'no SIMD'}, ${threads ? 'threads' : 'one thread'}`;
}

/**
 * Starts tfjs on `webgl` when the browser has WebGL, else on `wasm` (its binaries served with the page), or on
 * the one backend `only` names (the page's `?backend=` parameter).
 *
 * @throws Error listing each backend tried and why it failed, when none starts.
 */
export async function startBackend(only?: PageBackend): Promise<BackendChoice> {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlain,
    'tfjs-backend-wasm-simd.wasm': wasmSimd,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimd,
  });
  const failures: string[] = [];
  for (const name of only ? [only] : PAGE_BACKENDS) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        const fallback = failures.length ? ` (${failures.join('; ')})` : '';
        return { name, summary: `${name}: ${await details(name)}${fallback}` };
      }
      failures.push(`${name} unavailable`);
    } catch (e) {
      failures.push(`${name} failed: ${(e as Error).message}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${failures.join('; ')}`);
}

/** The backend a `?backend=` value asks for, or `undefined` for none or an unknown name. */
export function requestedBackend(search: string): PageBackend | undefined {
  const value = new URLSearchParams(search).get('backend');
  return PAGE_BACKENDS.find((b) => b === value);
}
