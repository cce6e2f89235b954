// The pipeline worker: loads a model folder's ONNX networks on onnxruntime-web (WebGPU where the browser has an
// adapter, else wasm) and segments stacks off the page's main thread, reporting progress per slice.
import type { Affine } from '@myoseg/core';
import { MyocardiumPipeline } from '@myoseg/models';
import { loadOnnxPipelineFiles, type OnnxLoadedPipeline, type OnnxRuntimeModule } from '@myoseg/models/onnx';
import ndarray from 'ndarray';
import * as ort from 'onnxruntime-web/webgpu';
import { readPickedFolder, readUrlFolder } from '../model-source';
import { progressStage } from './progress-stage';
import type { LoadRequest, SegmentRequest, SliceFacts, WorkerReply, WorkerRequest } from './protocol';

/** The worker's global scope, as far as used (the page's tsconfig has the DOM's types, not the worker's). */
const scope = globalThis as unknown as {
  postMessage(message: WorkerReply, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent<WorkerRequest>) => void): void;
};
const reply = (message: WorkerReply, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let model: OnnxLoadedPipeline | null = null;
/** Requests run one at a time, in order (a `segment` after a `load` uses the new model). */
let queue: Promise<void> = Promise.resolve();

async function load(request: LoadRequest): Promise<void> {
  ort.env.wasm.numThreads = request.threads;
  const read =
    'url' in request.source ? readUrlFolder(request.source.url) : readPickedFolder(request.source.files);
  const loaded = await loadOnnxPipelineFiles(read, {
    ort: ort as unknown as OnnxRuntimeModule,
    runtime: request.runtime,
    precision: request.precision,
    where: request.where,
  });
  await model?.dispose();
  model = loaded;
  const p = loaded.manifest.preset;
  reply({
    type: 'loaded',
    id: request.id,
    model: `${p.name} preset, ${p.encoder} ×${p.widthMultiplier}, localizer ${p.localizerSize.join('×')}, segmenter ${p.segmenterSize.join('×')}`,
    runtime: loaded.runtime,
  });
}

async function segment(request: SegmentRequest): Promise<void> {
  if (!model) throw new Error('no model is loaded');
  const { id } = request;
  const p = model.pipeline;
  const step = (name: 'localize' | 'segment') => (done: number, total: number) =>
    reply({ type: 'progress', id, step: name, done, total });
  const counted = new MyocardiumPipeline({
    localizer: progressStage(p.localizer, step('localize')),
    cropSegmenter: progressStage(p.cropSegmenter, step('segment')),
    sigma: p.sigma,
    frame: p.frame,
    threshold: p.threshold,
    largestComponent: p.largestComponent,
    refinePasses: p.refinePasses,
    orientation: p.orientation,
  });
  const started = performance.now();
  const result = await counted.segmentVolume(ndarray(request.data, request.shape), {
    spacing: request.spacing,
    affine: request.affine as Affine,
  });
  const slices: SliceFacts[] = result.slices.map((s) => ({
    found: s.found,
    areaMm2: s.areaMm2,
    cropBox: s.cropBox,
    sigma: s.sigma,
    timings: s.timings,
  }));
  const mask = result.mask.data as Uint8Array;
  reply({ type: 'segmented', id, mask, slices, ms: performance.now() - started }, [mask.buffer]);
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  queue = queue.then(async () => {
    try {
      await (request.type === 'load' ? load(request) : segment(request));
    } catch (e) {
      reply({ type: 'failed', id: request.id, message: (e as Error).message });
    }
  });
});
