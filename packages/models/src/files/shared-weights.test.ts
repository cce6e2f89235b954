import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelFolderError } from './errors';
import { loadPipelineFiles, PIPELINE_MANIFEST, pipelineFolderFiles } from './pipeline-folder';
import { withTfjsWeightsFromOnnx } from './shared-weights';
import { disposePipeline, memoryReader, tinyPipeline } from './test-support';

beforeAll(() => tf.setBackend('cpu'));

describe('withTfjsWeightsFromOnnx', () => {
  it("turns a written folder into the 'from-onnx' form that pipelineFolderFiles writes, and is idempotent", async () => {
    const trained = tinyPipeline();
    const separate = await pipelineFolderFiles(trained, { weights: 'float16' });
    const shared = await withTfjsWeightsFromOnnx(separate, 'model');
    expect(Object.keys(shared).sort()).toEqual([
      'localizer.onnx',
      'localizer/model.json',
      'myoseg.json',
      'segmenter.onnx',
      'segmenter/model.json',
    ]);
    const manifest = JSON.parse(shared[PIPELINE_MANIFEST] as string);
    expect(Object.keys(manifest.files).sort()).toEqual(
      Object.keys(shared)
        .filter((p) => p !== PIPELINE_MANIFEST)
        .sort(),
    );
    expect(JSON.parse(shared['localizer/model.json'] as string).weightsManifest[0].paths).toEqual([]);
    expect(await withTfjsWeightsFromOnnx(shared)).toEqual(shared);
    // the digests are checked at load, and the networks load from the ONNX files
    const loaded = await loadPipelineFiles(memoryReader(shared), { where: 'model' });
    expect(loaded.localizerModel.countParams()).toBe(trained.localizerModel.countParams());
    loaded.dispose();
    disposePipeline(trained);
  });

  it('refuses a folder without ONNX files or without a manifest, naming it', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained, { onnx: false });
    await expect(withTfjsWeightsFromOnnx(files, 'old-model')).rejects.toThrow(ModelFolderError);
    await expect(withTfjsWeightsFromOnnx(files, 'old-model')).rejects.toThrow(/old-model: .* lists none/);
    await expect(withTfjsWeightsFromOnnx({}, 'empty')).rejects.toThrow('empty: has no myoseg.json');
    disposePipeline(trained);
  });
});
