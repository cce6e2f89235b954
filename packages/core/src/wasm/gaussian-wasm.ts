import { GAUSSIAN_WASM_BASE64 } from './gaussian-wasm.generated';

/** The exports of gaussian.wat: its memory and the separable blur over byte addresses in it. */
export interface GaussianWasm {
  /** The module's own memory, grown by the caller as needed. */
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  /** Blurs an `h × w` image laid out in `memory` (see gaussian.wat for what each address holds). */
  blur(
    rows: number,
    cols: number,
    padTab: number,
    pad: number,
    dst: number,
    k: number,
    r: number,
    h: number,
    w: number,
  ): void;
}

/** The part of the WebAssembly global this file uses; typed here since core's lib has no DOM or Node types. */
interface WebAssemblyApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
}

/** Cache of the instance: `undefined` until first asked for, `null` where WebAssembly SIMD is unavailable. */
let cached: GaussianWasm | null | undefined;

/**
 * The gaussian.wat kernel, instantiated synchronously on first use (it is under 1 kB), or `null` where
 * WebAssembly, SIMD or `atob` is missing or compiling is not allowed (e.g. by a Content-Security-Policy).
 */
export function gaussianWasm(): GaussianWasm | null {
  if (cached !== undefined) return cached;
  cached = null;
  const { WebAssembly: wasm, atob } = globalThis as {
    WebAssembly?: WebAssemblyApi;
    atob?: (s: string) => string;
  };
  if (wasm === undefined || atob === undefined) return cached;
  const bytes = Uint8Array.from(atob(GAUSSIAN_WASM_BASE64), (c) => c.charCodeAt(0));
  try {
    if (wasm.validate(bytes)) cached = new wasm.Instance(new wasm.Module(bytes)).exports as GaussianWasm;
  } catch {
    // compiling refused: keep null, so the JS path is used
  }
  return cached;
}
