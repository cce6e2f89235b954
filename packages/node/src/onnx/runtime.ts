import type { OnnxSession, OnnxTensorConstructor } from '@myoseg/models/onnx';

export type {
  OnnxSession,
  OnnxTensor,
  OnnxTensorConstructor,
  OnnxValueMetadata,
} from '@myoseg/models/onnx';

/** Session options myoseg sets (a subset of onnxruntime's `InferenceSession.SessionOptions`). */
export interface OnnxSessionOptions {
  /** Threads inside one operator (a conv's GEMM). */
  intraOpNumThreads?: number;
  /** Threads across operators (used in `'parallel'` mode only). */
  interOpNumThreads?: number;
  /** Operator scheduling. */
  executionMode?: 'sequential' | 'parallel';
  /** Graph rewrites before running (`'all'` fuses Conv + Add + ReLU and the like). */
  graphOptimizationLevel?: 'disabled' | 'basic' | 'extended' | 'all';
  /** Where the operators run, in order of preference (default CPU). */
  executionProviders?: readonly OnnxExecutionProvider[];
}

/**
 * The execution providers myoseg asks onnxruntime-node for: `cpu`, or `webgpu` (Dawn, built into onnxruntime-node
 * 1.30 on Linux, Windows and macOS; on Linux over Vulkan, so it needs `libvulkan.so.1` and a Vulkan driver).
 */
export type OnnxExecutionProvider = 'cpu' | 'webgpu';

/** The onnxruntime module (`import * as ort from 'onnxruntime-node'`), as far as myoseg uses it. */
export interface OnnxRuntime {
  /** Creates sessions. */
  readonly InferenceSession: {
    /** A session for the bytes of an `.onnx` file. */
    create(model: Uint8Array, options?: OnnxSessionOptions): Promise<OnnxSession>;
  };
  /** The tensor class. */
  readonly Tensor: OnnxTensorConstructor;
}

/** What {@link loadOnnxRuntime} found: the runtime and its version, or why there is none. */
export type OnnxRuntimeLoad =
  | {
      /** The loaded `onnxruntime-node` module. */
      runtime: OnnxRuntime;
      /** Its version (`'1.30.0'`). */
      version: string;
      /** Absent when the runtime loaded. */
      reason?: undefined;
    }
  | {
      /** Null: onnxruntime-node cannot be used. */
      runtime: null;
      /** Absent when the runtime did not load. */
      version?: undefined;
      /** Why: not installed, or failed to load (with the loader's message). */
      reason: string;
    };

/** The optional peer dependency this module loads. */
export const ONNX_RUNTIME_PACKAGE = 'onnxruntime-node';

let cached: Promise<OnnxRuntimeLoad> | undefined;

/**
 * Loads `onnxruntime-node`, an optional peer dependency of `@myoseg/node`, when it is installed; the result is
 * cached for the process. Never throws: without the package (or when its native binding fails to load) it
 * resolves to `runtime: null` and the reason, so that callers can fall back to tfjs.
 */
export function loadOnnxRuntime(): Promise<OnnxRuntimeLoad> {
  cached ??= importRuntime();
  return cached;
}

/** Why importing `specifier` failed: the package is not installed, or it is and failed to load. */
export function importFailure(specifier: string, error: unknown): string {
  const { code, message } = error as { code?: string; message: string };
  const missing =
    (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && message.includes(`'${specifier}'`);
  return missing ? `${specifier} is not installed` : `${specifier} failed to load: ${message}`;
}

async function importRuntime(): Promise<OnnxRuntimeLoad> {
  // a variable specifier keeps bundlers from resolving an optional peer dependency
  const specifier = ONNX_RUNTIME_PACKAGE;
  let ort: typeof import('onnxruntime-node');
  try {
    ort = await import(specifier);
  } catch (e) {
    return { runtime: null, reason: importFailure(specifier, e) };
  }
  const runtime: OnnxRuntime = ort;
  return { runtime, version: ort.env.versions.node ?? ort.env.versions.common };
}
