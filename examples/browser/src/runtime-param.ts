import type { OnnxRuntimeRequest } from '@myoseg/models/onnx';

/** The runtimes the page's `?runtime=` parameter can ask for. */
export const PAGE_RUNTIMES: readonly OnnxRuntimeRequest[] = ['auto', 'webgpu', 'wasm'];

/** What the page's query asks for: `?runtime=` (default `auto`) and `?threads=` (wasm threads, default 0: onnxruntime-web's choice). */
export interface RuntimeParams {
  runtime: OnnxRuntimeRequest;
  threads: number;
  /** What was wrong with the query, for the page to report; the defaults are used instead. */
  problems: string[];
}

/** Reads `?runtime=` and `?threads=` from a query string. */
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
  return { runtime, threads, problems };
}
