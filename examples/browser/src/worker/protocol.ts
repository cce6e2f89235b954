import type { Box } from '@myoseg/core';
import type { OnnxPrecisionRequest, OnnxRuntimeReport, OnnxRuntimeRequest } from '@myoseg/models/onnx';

// The messages between the page and the pipeline worker. Each request carries an `id`; the worker answers it with
// one final reply (`loaded`, `segmented` or `failed`) of the same id, after any number of `progress` replies.

/** Where the worker reads a model folder from: the files a user picked (by folder-relative path) or a URL. */
export type ModelSource = { files: Map<string, File> } | { url: string };

/** Loads a model folder's ONNX networks on onnxruntime-web, replacing the model loaded before. */
export interface LoadRequest {
  type: 'load';
  id: number;
  source: ModelSource;
  /** The folder's name, for messages. */
  where: string;
  /** `'auto'`, `'webgpu'` or `'wasm'`. */
  runtime: OnnxRuntimeRequest;
  /** wasm threads (0: onnxruntime-web's default, which is 1 unless the page is cross-origin isolated). */
  threads: number;
  /** `'float32'`, `'auto'` or `'float16'` (float16 only on WebGPU with `shader-f16`). */
  precision: OnnxPrecisionRequest;
}

/** Segments one stack `[D, H, W]` (one frame of the image), volume-consistently. */
export interface SegmentRequest {
  type: 'segment';
  id: number;
  /** The stack's voxels, row-major `[D, H, W]`. */
  data: Float32Array;
  shape: [number, number, number];
  /** `[dz, dy, dx]` in mm. */
  spacing: [number, number, number];
  /** The stack's voxel → world affine (4×4), so that the pipeline can turn it to the model's orientation. */
  affine: number[][];
}

/** A request to the worker. */
export type WorkerRequest = LoadRequest | SegmentRequest;

/** What the page shows of one slice's result. */
export interface SliceFacts {
  found: boolean;
  areaMm2: number | undefined;
  cropBox: Box | null;
  sigma: number | null;
  /** Milliseconds per slice: localize, segment, restore, total (the stack's time shared out). */
  timings: { localizeMs: number; segmentMs: number; restoreMs: number; totalMs: number };
}

/** The worker's answer to a `load`. */
export interface LoadedReply {
  type: 'loaded';
  id: number;
  /** One line on the model: preset, encoder, sizes. */
  model: string;
  runtime: OnnxRuntimeReport;
}

/** Slices done so far in a step of a `segment`: `localize`, then `segment` (once per refinement pass). */
export interface ProgressReply {
  type: 'progress';
  id: number;
  step: 'localize' | 'segment';
  done: number;
  total: number;
}

/** The worker's answer to a `segment`. */
export interface SegmentedReply {
  type: 'segmented';
  id: number;
  /** The 0/1 mask, row-major `[D, H, W]`. */
  mask: Uint8Array;
  slices: SliceFacts[];
  /** Wall time of the whole stack in the worker, ms. */
  ms: number;
}

/** A request failed; `message` says why (a file, a runtime, a shape). */
export interface FailedReply {
  type: 'failed';
  id: number;
  message: string;
}

/** A reply of the worker. */
export type WorkerReply = LoadedReply | ProgressReply | SegmentedReply | FailedReply;
