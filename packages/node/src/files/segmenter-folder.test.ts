import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitSigmaRegression } from '@myoseg/core';
import { buildUNet, MyocardiumSegmenter, resolvePreset, type TrainedPipeline, tfStage } from '@myoseg/models';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelFolderError } from '../errors';
import { writeFolderAtomic } from './atomic';
import { loadSegmenterFolder, saveSegmenterFolder } from './segmenter-folder';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'myoseg-folder-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** An untrained but complete pipeline: what matters here is that it survives a save and a load. */
function tinyPipeline(): TrainedPipeline {
  const preset = resolvePreset({
    base: 'quick',
    localizerSize: [32, 32],
    segmenterSize: [24, 24],
    widthMultiplier: 1 / 16,
  });
  const localizerModel = buildUNet({
    encoder: 'resnet18',
    inputShape: [32, 32, 1],
    numClasses: 2,
    widthMultiplier: 1 / 16,
    seed: 1,
  });
  const segmenterModel = buildUNet({
    encoder: 'resnet18',
    inputShape: [24, 24, 1],
    numClasses: 2,
    widthMultiplier: 1 / 16,
    seed: 2,
  });
  const sigma = fitSigmaRegression([
    { width: 30, sigma: 0.2 },
    { width: 60, sigma: 0.7 },
  ]);
  const phase = { lrMax: [1e-3], fit: { history: [{ epoch: 0, loss: 0.5, lr: 1e-3 }], stoppedEarly: false } };
  return {
    segmenter: new MyocardiumSegmenter({
      localizer: tfStage(localizerModel),
      segmenter: tfStage(segmenterModel),
      sigma,
    }),
    localizerModel,
    segmenterModel,
    sigma,
    sigmaSamples: [],
    split: { train: ['patient001'], sigma: ['patient002'], validation: ['patient003'] },
    preset,
    history: { localizer: { frozen: phase, unfrozen: phase }, segmenter: { frozen: phase, unfrozen: phase } },
  };
}

describe('segmenter folders', () => {
  it('round-trips: the loaded pipeline gives the same probabilities and σ rule', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'model');
    await saveSegmenterFolder(target, trained);
    expect((await readdir(target)).sort()).toEqual(['localizer', 'myoseg.json', 'segmenter']);
    const loaded = await loadSegmenterFolder(target);
    const img = ndarray(
      Float32Array.from({ length: 32 * 32 }, (_, i) => Math.sin(i / 7)),
      [32, 32],
    );
    const [a] = await trained.segmenter.localizer.predict([img]);
    const [b] = await loaded.segmenter.localizer.predict([img]);
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(loaded.segmenter.sigmaFor(45)).toBe(trained.segmenter.sigmaFor(45));
    expect(loaded.manifest.preset.localizerSize).toEqual([32, 32]);
    loaded.dispose();
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
  });

  it('a folder without myoseg.json says how to get a model', async () => {
    const empty = join(dir, 'empty');
    await writeFolderAtomic(empty, { 'readme.txt': 'nothing' });
    await expect(loadSegmenterFolder(empty)).rejects.toThrow(ModelFolderError);
    await expect(loadSegmenterFolder(empty)).rejects.toThrow(/myoseg train.*myoseg demo/);
  });

  it('names the file when a model is incomplete', async () => {
    const trained = tinyPipeline();
    const target = join(dir, 'broken');
    await saveSegmenterFolder(target, trained);
    await writeFile(join(target, 'segmenter', 'weights.bin'), new Uint8Array(10));
    await expect(loadSegmenterFolder(target)).rejects.toThrow(/segmenter: weights hold 10 bytes/);
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
  });

  it('an interrupted folder write leaves the old folder and no temporary files', async () => {
    const target = join(dir, 'atomic');
    await writeFolderAtomic(target, { 'a.txt': 'old' });
    // a file path under a file makes the second write fail midway
    await expect(writeFolderAtomic(target, { 'b.txt': 'new', 'b.txt/c': 'x' })).rejects.toThrow();
    expect(await readdir(target)).toEqual(['a.txt']);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
  });
});
