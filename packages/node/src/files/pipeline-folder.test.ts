import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFolderError } from '@myoseg/models';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the same tiny pipeline as the format's own tests in @myoseg/models
import { disposePipeline, tinyPipeline } from '../../../models/src/files/test-support';
import { BackendUnavailableError } from '../errors';
import { writeFolderAtomic } from './atomic';
import { loadPipelineFolder, savePipelineFolder } from './pipeline-folder';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'myoseg-folder-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('segmenter folders', () => {
  it('writes the folder on disk and loads it back with the same weights', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'model');
    await savePipelineFolder(target, trained, { onnx: false });
    expect((await readdir(target)).sort()).toEqual([
      '.myoseg-output.json',
      'localizer',
      'myoseg.json',
      'segmenter',
    ]);
    expect((await readdir(join(target, 'segmenter'))).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadPipelineFolder(target, { runtime: 'tfjs' });
    const weights = (m: typeof trained.segmenterModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(loaded.segmenterModel)).toEqual(weights(trained.segmenterModel));
    expect(loaded.manifest.split).toEqual(trained.split);
    loaded.dispose();
    disposePipeline(trained);
  });

  it('runs on onnxruntime-node when it can: the same masks as on tfjs', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'both');
    await savePipelineFolder(target, trained);
    expect((await readdir(target)).sort()).toEqual([
      '.myoseg-output.json',
      'localizer',
      'localizer.onnx',
      'myoseg.json',
      'segmenter',
      'segmenter.onnx',
    ]);
    const ort = await loadPipelineFolder(target);
    const tfjs = await loadPipelineFolder(target, { runtime: 'tfjs' });
    expect(ort.runtime).toBe('onnxruntime-node');
    expect(ort.runtimeNote).toMatch(/^onnxruntime-node 1\.\d+\.\d+, \d+ threads$/);
    const img = ndarray(
      Float32Array.from({ length: 40 * 44 }, (_, i) => Math.sin(i / 9) + Math.cos(i / 31)),
      [40, 44],
    );
    const [a] = await ort.pipeline.localizer.predict([img.hi(32, 32)]);
    const [b] = await tfjs.pipeline.localizer.predict([img.hi(32, 32)]);
    for (let i = 0; i < a.size; i++) expect(a.data[i]).toBeCloseTo(b.data[i], 5);
    ort.dispose();
    tfjs.dispose();
    disposePipeline(trained);
  });

  it('float16 weights run on onnxruntime-node and on tfjs, both within float16 rounding of float32', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'half');
    await savePipelineFolder(target, trained, { weights: 'float16' });
    const ort = await loadPipelineFolder(target);
    const tfjs = await loadPipelineFolder(target, { runtime: 'tfjs' });
    expect(ort.runtime).toBe('onnxruntime-node');
    const img = ndarray(
      Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i / 9) + Math.cos(i / 31)),
      [32, 32],
    );
    const [exact] = await trained.pipeline.localizer.predict([img]);
    const [a] = await ort.pipeline.localizer.predict([img]);
    const [b] = await tfjs.pipeline.localizer.predict([img]);
    let worst = 0;
    for (let i = 0; i < exact.size; i++) {
      // onnxruntime rounds the BatchNorm-folded weights, tfjs the unfolded ones: close, not equal
      expect(a.data[i]).toBeCloseTo(b.data[i], 4);
      worst = Math.max(worst, Math.abs(a.data[i] - exact.data[i]));
    }
    expect(worst).toBeLessThan(5e-3);
    ort.dispose();
    tfjs.dispose();
    disposePipeline(trained);
  });

  it("tfjsWeights 'from-onnx' stores each network once; tfjs and onnxruntime-node then run the same weights", async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'shared');
    await savePipelineFolder(target, trained, { weights: 'float16', tfjsWeights: 'from-onnx' });
    expect((await readdir(join(target, 'localizer'))).sort()).toEqual(['model.json']);
    const ort = await loadPipelineFolder(target);
    const tfjs = await loadPipelineFolder(target, { runtime: 'tfjs' });
    expect([ort.runtime, tfjs.runtime]).toEqual(['onnxruntime-node', 'tfjs']);
    const img = ndarray(
      Float32Array.from({ length: 24 * 24 }, (_, i) => Math.sin(i / 5) + Math.cos(i / 17)),
      [24, 24],
    );
    const [a] = await ort.pipeline.cropSegmenter.predict([img]);
    const [b] = await tfjs.pipeline.cropSegmenter.predict([img]);
    // the same float16-rounded, BatchNorm-folded weights in both: equal to float32 rounding
    for (let i = 0; i < a.size; i++) expect(b.data[i]).toBeCloseTo(a.data[i], 5);
    ort.dispose();
    tfjs.dispose();
    disposePipeline(trained);
  });

  it('a folder without .onnx files loads on tfjs and says why; onnxruntime can be required', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'tfjs-only');
    await savePipelineFolder(target, trained, { onnx: false });
    const loaded = await loadPipelineFolder(target);
    expect(loaded.runtime).toBe('tfjs');
    expect(loaded.runtimeNote).toMatch(/holds no \.onnx files/);
    loaded.dispose();
    await expect(loadPipelineFolder(target, { runtime: 'onnxruntime' })).rejects.toThrow(
      BackendUnavailableError,
    );
    disposePipeline(trained);
  });

  it('a folder without myoseg.json says how to get a model', async () => {
    const empty = join(dir, 'empty');
    await writeFolderAtomic(empty, { 'readme.txt': 'nothing' }, { kind: 'tfjs-model' });
    await expect(loadPipelineFolder(empty)).rejects.toThrow(ModelFolderError);
    await expect(loadPipelineFolder(empty)).rejects.toThrow(/myoseg train.*myoseg demo/);
  });

  it('names the file when a model is incomplete', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'broken');
    await savePipelineFolder(target, trained);
    await writeFile(join(target, 'segmenter', 'weights.bin'), new Uint8Array(10));
    await expect(loadPipelineFolder(target, { runtime: 'tfjs' })).rejects.toThrow(
      /broken\/segmenter\/weights.bin: sha256 [0-9a-f]{12}… differs from myoseg.json's files/,
    );
    await writeFile(join(target, 'segmenter.onnx'), new Uint8Array(10));
    await expect(loadPipelineFolder(target)).rejects.toThrow(/broken\/segmenter.onnx: sha256 .* differs/);
    // a folder of an older version has no digests: the broken ONNX file is still named, by onnxruntime's refusal
    const manifestPath = join(target, 'myoseg.json');
    const { files: _, ...legacy } = JSON.parse(await readFile(manifestPath, 'utf8'));
    await writeFile(manifestPath, JSON.stringify(legacy));
    await expect(loadPipelineFolder(target)).rejects.toThrow(/broken\/segmenter.onnx: .*could not load/);
    disposePipeline(trained);
  });

  it('an interrupted folder write leaves the old folder and no temporary files', async () => {
    const target = join(dir, 'atomic');
    await writeFolderAtomic(target, { 'a.txt': 'old' }, { kind: 'model' });
    // a file path under a file makes the second write fail midway
    await expect(
      writeFolderAtomic(target, { 'b.txt': 'new', 'b.txt/c': 'x' }, { kind: 'model' }),
    ).rejects.toThrow();
    expect(await readdir(target)).toEqual(['.myoseg-output.json', 'a.txt']);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
