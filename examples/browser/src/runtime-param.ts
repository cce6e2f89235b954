import type { OnnxPrecisionRequest, OnnxRuntimeRequest } from '@myoseg/models/onnx';

/** The runtimes the page's `?runtime=` parameter can ask for. */
export const PAGE_RUNTIMES: readonly OnnxRuntimeRequest[] = ['auto', 'webgpu', 'wasm'];

/** The precisions the page's `?precision=` parameter can ask for. */
export const PAGE_PRECISIONS: readonly OnnxPrecisionRequest[] = ['float32', 'auto', 'float16'];

/**
 * What the page's query asks for: `?runtime=` (default `auto`), `?threads=` (wasm threads, default 0:
 * onnxruntime-web's choice) and `?precision=` (default `float32`; `auto` or `float16` for float16 on WebGPU).
 */
export interface RuntimeParams {
  runtime: OnnxRuntimeRequest;
  threads: number;
  precision: OnnxPrecisionRequest;
  /** What was wrong with the query, for the page to report; the defaults are used instead. */
  problems: string[];
}

/** Reads `?runtime=`, `?threads=` and `?precision=` from a query string. */
export function runtimeParams(search: string): RuntimeParams {
  const params = new URLSearchParams(search);
  const problems: string[] = [];
  const askedRuntime = params.get('runtime');
  let runtime: OnnxRuntimeRequest = 'auto';
  if (askedRuntime !== null) {
    const known = PAGE_RUNTIMES.find((r) => r === askedRuntime);
    if (known) runtime = known;
    else problems.push(`?runtime=${askedRuntime} is not one of ${PAGE_RUNTIMES.join(', ')}; using auto`);
  }
  const askedThreads = params.get('threads');
  let threads = 0;
  if (askedThreads !== null) {
    const n = Number(askedThreads);
    if (Number.isInteger(n) && n >= 0 && n <= 64) threads = n;
    else
      problems.push(
        `?threads=${askedThreads} is not a whole number 0–64; using 0 (onnxruntime-web's choice)`,
      );
  }
  const askedPrecision = params.get('precision');
  let precision: OnnxPrecisionRequest = 'float32';
  if (askedPrecision !== null) {
    const known = PAGE_PRECISIONS.find((p) => p === askedPrecision);
    if (known) precision = known;
    else
      problems.push(
        `?precision=${askedPrecision} is not one of ${PAGE_PRECISIONS.join(', ')}; using float32`,
      );
  }
  return { runtime, threads, precision, problems };
}
