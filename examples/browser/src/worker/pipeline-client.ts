import type { OnnxPrecisionRequest, OnnxRuntimeReport, OnnxRuntimeRequest } from '@myoseg/models/onnx';
import type {
  LoadRequest,
  ModelSource,
  ProgressReply,
  SegmentedReply,
  SegmentRequest,
  WorkerReply,
  WorkerRequest,
} from './protocol';

/** A loaded model, as the worker describes it. */
export interface LoadedModel {
  /** Where it came from. */
  where: string;
  /** Preset, encoder and sizes, in one line. */
  model: string;
  /** The runtime it runs on and why the better ones were skipped. */
  runtime: OnnxRuntimeReport;
}

/** Progress of a stack: the step and the slices done in it. */
export type Progress = Pick<ProgressReply, 'step' | 'done' | 'total'>;

type Pending = {
  resolve: (reply: WorkerReply) => void;
  reject: (error: Error) => void;
  progress?: (p: Progress) => void;
};

/** How {@link PipelineClient} loads models. */
export interface PipelineClientOptions {
  /** `'auto'` (default: WebGPU where there is an adapter, else wasm), `'webgpu'` or `'wasm'`. */
  runtime?: OnnxRuntimeRequest;
  /** wasm threads; 0 (default) lets onnxruntime-web choose (1 unless the page is cross-origin isolated). */
  threads?: number;
  /** `'float32'` (default), `'auto'` or `'float16'` (float16 only on WebGPU with `shader-f16`). */
  precision?: OnnxPrecisionRequest;
}

/**
 * The page's side of the pipeline worker: loads a model and segments stacks there, so the main thread only posts
 * the voxels and draws the masks that come back. Requests run in the worker one at a time, in order.
 */
export class PipelineClient {
  readonly #worker: Worker;
  readonly #options: Required<PipelineClientOptions>;
  readonly #pending = new Map<number, Pending>();
  #next = 1;

  /**
   * @param worker - the pipeline worker (`new Worker(new URL('./pipeline-worker.ts', import.meta.url), …)`).
   * @param options - the runtime, threads and precision models load with.
   */
  constructor(worker: Worker, options: PipelineClientOptions = {}) {
    this.#worker = worker;
    this.#options = { runtime: 'auto', threads: 0, precision: 'float32', ...options };
    worker.addEventListener('message', (event: MessageEvent<WorkerReply>) => {
      const reply = event.data;
      const pending = this.#pending.get(reply.id);
      if (!pending) return;
      if (reply.type === 'progress') {
        pending.progress?.(reply);
        return;
      }
      this.#pending.delete(reply.id);
      if (reply.type === 'failed') pending.reject(new Error(reply.message));
      else pending.resolve(reply);
    });
    worker.addEventListener('error', (event) => {
      const error = new Error(`the pipeline worker failed: ${event.message || 'it could not start'}`);
      for (const p of this.#pending.values()) p.reject(error);
      this.#pending.clear();
    });
  }

  #send<T extends WorkerReply>(
    request: Omit<LoadRequest, 'id'> | Omit<SegmentRequest, 'id'>,
    transfer: Transferable[] = [],
    progress?: (p: Progress) => void,
  ): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (r: WorkerReply) => void, reject, progress });
      this.#worker.postMessage({ ...request, id } as WorkerRequest, transfer);
    });
  }

  /**
   * Loads a model folder in the worker (replacing the one before).
   *
   * @throws Error with the worker's message when the folder or every runtime fails.
   */
  async load(source: ModelSource, where: string): Promise<LoadedModel> {
    const reply = await this.#send<Extract<WorkerReply, { type: 'loaded' }>>({
      type: 'load',
      source,
      where,
      ...this.#options,
    });
    return { where, model: reply.model, runtime: reply.runtime };
  }

  /**
   * Segments one stack in the worker.
   *
   * @param data - `[D, H, W]` voxels, row-major; copied, so the caller keeps its array.
   * @param onProgress - called as slices are localized, then segmented.
   */
  segment(
    data: Float32Array,
    shape: [number, number, number],
    spacing: [number, number, number],
    affine: number[][],
    onProgress?: (p: Progress) => void,
  ): Promise<SegmentedReply> {
    const copy = data.slice();
    return this.#send<SegmentedReply>(
      { type: 'segment', data: copy, shape, spacing, affine },
      [copy.buffer],
      onProgress,
    );
  }
}
