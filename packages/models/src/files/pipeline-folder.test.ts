import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { beforeAll, describe, expect, it } from 'vitest';
import { MyocardiumPipeline } from '../pipeline/pipeline';
import { ModelFolderError } from './errors';
import { fileDigests, sha256Hex } from './integrity';
import { loadPipelineFiles, PIPELINE_MANIFEST, pipelineFolderFiles } from './pipeline-folder';
import { disposePipeline, memoryReader, tinyPipeline } from './test-support';

beforeAll(() => tf.setBackend('cpu'));

const manifestWith = (files: Record<string, Uint8Array | string>, change: Record<string, unknown>) => ({
  ...files,
  [PIPELINE_MANIFEST]: JSON.stringify({ ...JSON.parse(files[PIPELINE_MANIFEST] as string), ...change }),
});

describe('segmenter folder files', () => {
  it('round-trips in memory: same probabilities, σ rule, frame and preset', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained);
    expect(Object.keys(files).sort()).toEqual([
      'localizer.onnx',
      'localizer/model.json',
      'localizer/weights.bin',
      'myoseg.json',
      'segmenter.onnx',
      'segmenter/model.json',
      'segmenter/weights.bin',
    ]);
    expect(JSON.parse(files['myoseg.json'] as string).onnx).toEqual({
      localizer: 'localizer.onnx',
      segmenter: 'segmenter.onnx',
      opset: 17,
    });
    const loaded = await loadPipelineFiles(memoryReader(files), { where: 'mem' });
    const img = ndarray(
      Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i / 7)),
      [32, 32],
    );
    const [a] = await trained.pipeline.localizer.predict([img]);
    const [b] = await loaded.pipeline.localizer.predict([img]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(loaded.pipeline.sigmaFor(45)).toBe(trained.pipeline.sigmaFor(45));
    expect(loaded.pipeline.frame).toBe(0.15);
    expect(loaded.manifest.preset.segmenterSize).toEqual([24, 24]);
    loaded.dispose();
    disposePipeline(trained);
  });

  it('keeps the post-processing settings and the orientation; a folder written before they existed loads without them', async () => {
    const trained = tinyPipeline();
    const { localizer, cropSegmenter } = trained.pipeline;
    const files = await pipelineFolderFiles({
      ...trained,
      pipeline: new MyocardiumPipeline({
        localizer,
        cropSegmenter,
        sigma: trained.sigma,
        largestComponent: true,
        refinePasses: 2,
        orientation: 'LPS',
      }),
    });
    const loaded = await loadPipelineFiles(memoryReader(files));
    expect([loaded.pipeline.largestComponent, loaded.pipeline.refinePasses]).toEqual([true, 2]);
    expect(loaded.pipeline.orientation).toBe('LPS');
    loaded.dispose();
    const older = await loadPipelineFiles(
      memoryReader(
        manifestWith(files, { largestComponent: undefined, refinePasses: undefined, orientation: undefined }),
      ),
    );
    expect([older.pipeline.largestComponent, older.pipeline.refinePasses]).toEqual([false, 0]);
    expect(older.pipeline.orientation).toBeUndefined();
    older.dispose();
    for (const [field, value] of [
      ['largestComponent', 'yes'],
      ['refinePasses', -1],
      ['orientation', 'RRS'],
    ] as const) {
      await expect(loadPipelineFiles(memoryReader(manifestWith(files, { [field]: value })))).rejects.toThrow(
        new RegExp(`field '${field}' must be`),
      );
    }
    disposePipeline(trained);
  });

  it('frees every tensor when a load fails half-way', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained);
    disposePipeline(trained);
    const before = tf.memory().numTensors;
    // a folder of an older version (no digests) reaches the weights' size check
    const broken = {
      ...manifestWith(files, { files: undefined }),
      'segmenter/weights.bin': new Uint8Array(10),
    };
    await expect(loadPipelineFiles(memoryReader(broken), { where: 'm' })).rejects.toThrow(
      /m\/segmenter: weights hold 10 bytes, the manifest needs \d+/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('names the file and the field that is wrong', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained);
    disposePipeline(trained);
    const load = (f: Record<string, Uint8Array | string>) =>
      loadPipelineFiles(memoryReader(f), { where: 'dir' });
    await expect(load({})).rejects.toThrow(/dir is not a myoseg model folder.*myoseg train.*myoseg demo/);
    await expect(load({ ...files, [PIPELINE_MANIFEST]: '{' })).rejects.toThrow(
      /dir\/myoseg.json: not valid JSON/,
    );
    await expect(load(manifestWith(files, { version: 99 }))).rejects.toThrow(
      /dir\/myoseg.json: version 99 is not supported/,
    );
    await expect(load(manifestWith(files, { format: 'x' }))).rejects.toThrow(/field 'format'/);
    await expect(load(manifestWith(files, { sigma: {} }))).rejects.toThrow(/field 'sigma'/);
    await expect(load(manifestWith(files, { sigma: { regression: { slope: 'a' } } }))).rejects.toThrow(
      ModelFolderError,
    );
    const { 'localizer/weights.bin': _, ...noWeights } = files;
    await expect(load(noWeights)).rejects.toThrow(/dir\/localizer\/weights.bin: cannot read \(ENOENT\)/);
    const legacy = manifestWith(files, { files: undefined });
    await expect(load({ ...legacy, 'segmenter/model.json': '{}' })).rejects.toThrow(
      /dir\/segmenter\/model.json: not a tfjs layers model/,
    );
    await expect(load(manifestWith(files, { threshold: 1.5 }))).rejects.toThrow(
      /dir\/myoseg.json: field 'threshold' must lie in \(0, 1\), got 1.5/,
    );
    await expect(load(manifestWith(files, { frame: -1 }))).rejects.toThrow(
      /field 'frame' must be a number ≥ 0/,
    );
    const preset = JSON.parse(files[PIPELINE_MANIFEST] as string).preset;
    await expect(
      load(manifestWith(files, { preset: { ...preset, normalization: 'bogus' } })),
    ).rejects.toThrow(/dir\/myoseg.json: field 'preset'.*normalization/);
    await expect(load(manifestWith(files, { files: { 'a.bin': 'not hex' } }))).rejects.toThrow(
      /field 'files'/,
    );
  });
});

describe('a model folder checks its files and networks against myoseg.json', () => {
  it('records what each network takes and gives, and a sha256 of every other file', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained);
    disposePipeline(trained);
    const manifest = JSON.parse(files[PIPELINE_MANIFEST] as string);
    expect(manifest.complete).toBe(true);
    expect(manifest.networks).toEqual({
      localizer: { inputSize: [32, 32], channels: 1, classes: 2 },
      segmenter: { inputSize: [24, 24], channels: 1, classes: 2 },
    });
    expect(Object.keys(manifest.files).sort()).toEqual(
      Object.keys(files)
        .filter((f) => f !== PIPELINE_MANIFEST)
        .sort(),
    );
    expect(manifest.files['localizer.onnx']).toBe(await sha256Hex(files['localizer.onnx']));
  });

  it('refuses a modified, an added-to-the-list or a swapped file, naming it; a complete: false mark is kept', async () => {
    const trained = tinyPipeline();
    const files = await pipelineFolderFiles(trained, { complete: false });
    disposePipeline(trained);
    expect(JSON.parse(files[PIPELINE_MANIFEST] as string).complete).toBe(false);
    const load = (f: Record<string, Uint8Array | string>) =>
      loadPipelineFiles(memoryReader(f), { where: 'dir' });
    const weights = files['segmenter/weights.bin'] as Uint8Array;
    const flipped = weights.slice();
    flipped[7] ^= 1;
    await expect(load({ ...files, 'segmenter/weights.bin': flipped })).rejects.toThrow(ModelFolderError);
    await expect(load({ ...files, 'segmenter/weights.bin': flipped })).rejects.toThrow(
      /dir\/segmenter\/weights.bin: sha256 [0-9a-f]{12}… differs from myoseg.json's files\["segmenter\/weights.bin"\]/,
    );
    const { 'segmenter/model.json': _, ...rest } = JSON.parse(files[PIPELINE_MANIFEST] as string).files;
    await expect(load(manifestWith(files, { files: rest }))).rejects.toThrow(
      /dir\/segmenter\/model.json: not listed in myoseg.json's files/,
    );
    // the two networks swapped, with digests that match the swapped files: the input sizes give it away
    const swapped = {
      ...files,
      'localizer/model.json': files['segmenter/model.json'],
      'localizer/weights.bin': files['segmenter/weights.bin'],
      'segmenter/model.json': files['localizer/model.json'],
      'segmenter/weights.bin': files['localizer/weights.bin'],
    };
    const digests = await fileDigests(
      Object.fromEntries(Object.entries(swapped).filter(([k]) => k !== PIPELINE_MANIFEST)),
    );
    const before = tf.memory().numTensors;
    await expect(load(manifestWith(swapped, { files: digests }))).rejects.toThrow(
      /dir\/localizer\/: the network does not match myoseg.json \(input 24×24, expected 32×32\)/,
    );
    expect(tf.memory().numTensors).toBe(before);
  });
});
