import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readNifti } from '@myoseg/datasets';
import { loadOnnxPipelineFiles, type OnnxRuntimeModule } from '@myoseg/models/onnx';
import { pretrainedModelDir } from '@myoseg/pretrained/node';
import ndarray from 'ndarray';
import * as ortWeb from 'onnxruntime-web';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectSameMasks } from '../../test/same-masks';
import { synthesizeSmallTwin } from '../../test/small-twin';
import { diskReader } from '../files/model-files';
import { loadPipelineFolder } from '../files/pipeline-folder';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'myoseg-ort-web-'));
  await synthesizeSmallTwin(join(dir, 'twin'), 1, 4);
  ortWeb.env.wasm.numThreads = 1; // no worker threads under Node
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('a model folder on onnxruntime-web (wasm, as a browser without WebGPU runs it)', () => {
  it('segments a twin stack as onnxruntime-node does: Dice ≥ 0.999 per slice', async () => {
    const patient = join(dir, 'twin', 'training', 'patient001');
    const [file] = (await readdir(patient)).filter((f) => /frame\d+\.nii\.gz$/.test(f));
    const image = readNifti(await readFile(join(patient, file)), { gunzip: gunzipSync });
    const volume = ndarray(Float32Array.from(image.data), image.shape);
    const options = { spacing: image.spacing as [number, number, number] };
    const web = await loadOnnxPipelineFiles(diskReader(pretrainedModelDir()), {
      ort: ortWeb as unknown as OnnxRuntimeModule,
      runtime: 'wasm',
      where: 'pretrained',
    });
    const node = await loadPipelineFolder(pretrainedModelDir(), { runtime: 'onnxruntime' });
    try {
      expect(web.runtime.executionProviders).toEqual(['wasm']);
      const [a, b] = [
        await node.pipeline.segmentVolume(volume, options),
        await web.pipeline.segmentVolume(volume, options),
      ];
      expectSameMasks(a.mask, b.mask);
    } finally {
      node.dispose();
      await web.dispose();
    }
  });
});
