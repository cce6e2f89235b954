import { MyosegError } from '@myoseg/core';

/** The runtimes of onnxruntime-web that myoseg runs a model folder on. */
export type OnnxWebRuntime = 'webgpu' | 'wasm';

/** What a caller asks for: one runtime, or `'auto'` (WebGPU where there is an adapter, else wasm). */
export type OnnxRuntimeRequest = 'auto' | OnnxWebRuntime;

/** The arithmetic the networks run in. */
export type OnnxPrecision = 'float32' | 'float16';

/**
 * What a caller asks for: `'auto'` (float16 on WebGPU where the adapter has `shader-f16`, else float32), or one
 * precision (`'float16'` runs on WebGPU with `shader-f16` only).
 */
export type OnnxPrecisionRequest = 'auto' | OnnxPrecision;

/** A runtime that was tried and not used, and why. */
export interface SkippedRuntime {
  /** The runtime. */
  runtime: OnnxWebRuntime;
  /** Why it was not used, in words (no `navigator.gpu`, no adapter, onnxruntime's error). */
  reason: string;
}

/** Which runtime runs a model and why the better ones were skipped, as `myoseg doctor` reports it. */
export interface OnnxRuntimeReport {
  /** The runtime the sessions run on. */
  runtime: OnnxWebRuntime;
  /** The execution providers the sessions were created with. */
  executionProviders: readonly string[];
  /** The arithmetic: float16 only on WebGPU with `shader-f16`. */
  precision: OnnxPrecision;
  /**
   * What was found about it: the WebGPU adapter (vendor, architecture, whether it has `shader-f16`), or the wasm
   * threads and why there is only one.
   */
  detail: string;
  /** Better runtimes that were tried first and not used. */
  skipped: readonly SkippedRuntime[];
  /** One line for a page or a log: runtime, detail and the skipped ones. */
  summary: string;
}

/** No runtime that was asked for could run the model; the message lists each one tried and why it failed. */
export class OnnxRuntimeUnavailableError extends MyosegError {
  /** Always `'ONNX_RUNTIME_UNAVAILABLE'`. */
  override readonly code: string = 'ONNX_RUNTIME_UNAVAILABLE';
}

/** A WebGPU adapter, as far as reported here (`GPUAdapter`). */
export interface WebGpuAdapterLike {
  /** Its optional features (`'shader-f16'`, …). */
  readonly features?: {
    /** Whether the adapter has the feature `name`. */
    has(name: string): boolean;
  };
  /** Its vendor and architecture (Chromium ≥ 114). */
  readonly info?: {
    /** The GPU's vendor (`'nvidia'`, `'google'` for SwiftShader). */
    vendor?: string;
    /** The GPU's architecture (`'hopper'`, `'swiftshader'`). */
    architecture?: string;
    /** A free-text description, where the browser gives one. */
    description?: string;
  };
}

/** `navigator.gpu`, as far as used here. */
export interface WebGpuLike {
  /** Resolves to an adapter, or `null` when the browser has none to give. */
  requestAdapter(): Promise<WebGpuAdapterLike | null>;
}

/** Where the choice looks: the page's or worker's globals by default. */
export interface RuntimeEnvironment {
  /** `navigator.gpu`; absent where the browser (or Node) has no WebGPU. */
  gpu?: WebGpuLike;
  /** `crossOriginIsolated`: only then can wasm use threads (SharedArrayBuffer). */
  crossOriginIsolated?: boolean;
  /** `navigator.hardwareConcurrency`. */
  hardwareConcurrency?: number;
  /** `ort.env.wasm.numThreads` as the caller set it (0 or absent: onnxruntime's default). */
  numThreads?: number;
}

/** The environment of the calling page or worker, with `numThreads` from the onnxruntime module's `env`. */
export function currentEnvironment(numThreads?: number): RuntimeEnvironment {
  const nav = (globalThis as { navigator?: { gpu?: WebGpuLike; hardwareConcurrency?: number } }).navigator;
  return {
    gpu: nav?.gpu,
    crossOriginIsolated: (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true,
    hardwareConcurrency: nav?.hardwareConcurrency,
    numThreads,
  };
}

/** The adapter, or why there is none to use. */
export async function webGpuAdapter(
  gpu: WebGpuLike | undefined,
): Promise<{ adapter: WebGpuAdapterLike } | { reason: string }> {
  if (!gpu) return { reason: 'no WebGPU here (navigator.gpu is missing)' };
  try {
    const adapter = await gpu.requestAdapter();
    return adapter ? { adapter } : { reason: 'navigator.gpu gave no adapter (no usable GPU or driver)' };
  } catch (e) {
    return { reason: `navigator.gpu.requestAdapter failed: ${(e as Error).message}` };
  }
}

/** "vendor architecture, shader-f16" of an adapter. */
export function adapterDetail(adapter: WebGpuAdapterLike): string {
  const { vendor, architecture, description } = adapter.info ?? {};
  const name = [vendor, architecture].filter(Boolean).join(' ') || description || 'adapter without info';
  return `${name}, ${adapter.features?.has('shader-f16') ? 'shader-f16' : 'no shader-f16'}`;
}

/** The wasm threads onnxruntime-web will use (its default: half the cores, at most 4, when isolated) and why. */
export function wasmDetail(env: RuntimeEnvironment): string {
  if (!env.crossOriginIsolated)
    return 'one thread (the page is not cross-origin isolated: no SharedArrayBuffer without COOP/COEP headers)';
  if (env.numThreads && env.numThreads > 0)
    return env.numThreads === 1 ? 'one thread (numThreads is 1)' : `${env.numThreads} threads`;
  const cores = env.hardwareConcurrency ?? 1;
  const threads = Math.min(4, Math.ceil(cores / 2));
  return `${threads === 1 ? 'one thread' : `${threads} threads`} (onnxruntime-web's default for ${cores} cores)`;
}

/** The report's one line. */
export function runtimeSummary(report: Omit<OnnxRuntimeReport, 'summary'>): string {
  const skipped = report.skipped.map((s) => `${s.runtime} skipped: ${s.reason}`);
  return `${report.runtime} (${report.detail}; ${report.precision})${skipped.length ? `; ${skipped.join('; ')}` : ''}`;
}
