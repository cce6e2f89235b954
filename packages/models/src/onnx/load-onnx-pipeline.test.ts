import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFolderError } from '../files/errors';
import { pipelineFolderFiles } from '../files/pipeline-folder';
import { disposePipeline, memoryReader, tinyPipeline } from '../files/test-support';
import { loadOnnxPipelineFiles, type OnnxRuntimeModule } from './load-onnx-pipeline';
import { OnnxRuntimeUnavailableError, type RuntimeEnvironment, type WebGpuLike } from './web-runtime';

let files: Record<string, Uint8Array | string>;
beforeAll(async () => {
  await tf.setBackend('cpu');
  ortWeb.env.wasm.numThreads = 1; // no worker threads under Node
  const trained = tinyPipeline();
  files = await pipelineFolderFiles(trained);
  disposePipeline(trained);
});

const ort = ortWeb as unknown as OnnxRuntimeModule;
/** A `navigator.gpu` whose adapter is `adapter` (null: none). */
const gpu = (adapter: Awaited<ReturnType<WebGpuLike['requestAdapter']>>): WebGpuLike => ({
  requestAdapter: async () => adapter,
});
const swiftShader = {
  info: { vendor: 'google', architecture: 'swiftshader' },
  features: new Set(['shader-f16']),
};

async function load(
  environment: RuntimeEnvironment,
  runtime?: 'auto' | 'webgpu' | 'wasm',
  precision?: 'auto' | 'float32' | 'float16',
) {
  return loadOnnxPipelineFiles(memoryReader(files), { ort, environment, runtime, precision, where: 'mem' });
}

describe('loadOnnxPipelineFiles chooses a runtime and says why', () => {
  it('auto without navigator.gpu: wasm on one thread, WebGPU skipped for that reason', async () => {
    const loaded = await load({});
    expect(loaded.runtime).toMatchObject({ runtime: 'wasm', executionProviders: ['wasm'] });
    expect(loaded.runtime.skipped).toEqual([
      { runtime: 'webgpu', reason: 'no WebGPU here (navigator.gpu is missing)' },
    ]);
    expect(loaded.runtime.summary).toBe(
      'wasm (one thread (the page is not cross-origin isolated: no SharedArrayBuffer without COOP/COEP headers); float32); webgpu skipped: no WebGPU here (navigator.gpu is missing)',
    );
    const [map] = await loaded.pipeline.localizer.predict([ndarray(new Float32Array(32 * 32), [32, 32])]);
    expect(map.shape).toEqual([32, 32]);
    await loaded.dispose();
  });

  it('auto with a GPU that gives no adapter, or one onnxruntime cannot use: wasm, each reason kept', async () => {
    const none = await load({ gpu: gpu(null), crossOriginIsolated: true, hardwareConcurrency: 16 });
    expect(none.runtime.runtime).toBe('wasm');
    expect(none.runtime.detail).toBe("4 threads (onnxruntime-web's default for 16 cores)");
    expect(none.runtime.skipped[0].reason).toMatch(/no adapter/);
    await none.dispose();
    // onnxruntime-web's Node build has no WebGPU backend: session creation fails, and wasm takes over
    const refused = await load({ gpu: gpu(swiftShader), crossOriginIsolated: true, numThreads: 2 });
    expect(refused.runtime.runtime).toBe('wasm');
    expect(refused.runtime.detail).toBe('2 threads');
    expect(refused.runtime.skipped).toHaveLength(1);
    expect(refused.runtime.skipped[0].reason).toMatch(/^onnxruntime: .*webgpu/i);
    await refused.dispose();
  });

  it("'webgpu' alone without WebGPU fails with a typed error naming what was tried", async () => {
    const error = await load({}, 'webgpu').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxRuntimeUnavailableError);
    expect((error as Error).message).toBe(
      'mem: no onnxruntime-web runtime could run it: webgpu: no WebGPU here (navigator.gpu is missing)',
    );
    const wasm = await load({ gpu: gpu(swiftShader) }, 'wasm');
    expect(wasm.runtime.skipped).toEqual([]);
    await wasm.dispose();
  });

  it("precision 'float16' is only taken on WebGPU with shader-f16; else each runtime says why", async () => {
    const noF16 = { info: { vendor: 'google', architecture: 'swiftshader' }, features: new Set<string>() };
    const error = await load({ gpu: gpu(noF16) }, 'auto', 'float16').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnnxRuntimeUnavailableError);
    expect((error as Error).message).toMatch(
      /webgpu: precision 'float16' needs WebGPU with shader-f16 \(google swiftshader, no shader-f16\); wasm: precision 'float16' needs/,
    );
    // with shader-f16, 'auto' rewrites the networks for WebGPU; Node's onnxruntime-web has no WebGPU, so wasm runs
    // the float32 ones, and says so
    const auto = await load({ gpu: gpu(swiftShader) }, 'auto', 'auto');
    expect(auto.runtime).toMatchObject({ runtime: 'wasm', precision: 'float32' });
    expect(auto.runtime.summary).toMatch(/; float32\); webgpu skipped: onnxruntime: /);
    await auto.dispose();
  });

  it("a folder's own fault is not taken for the runtime's: an altered ONNX file is refused", async () => {
    const altered = { ...files, 'segmenter.onnx': new Uint8Array([1, 2, 3]) };
    await expect(
      loadOnnxPipelineFiles(memoryReader(altered), { ort, environment: {}, where: 'mem' }),
    ).rejects.toBeInstanceOf(ModelFolderError);
  });
});
