import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFolderError } from '@myoseg/models';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// the same tiny pipeline as the format's own tests in @myoseg/models
import { disposePipeline, tinyPipeline } from '../../../models/src/files/test-support';
import { writeFolderAtomic } from './atomic';
import { loadSegmenterFolder, saveSegmenterFolder } from './segmenter-folder';

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
    await saveSegmenterFolder(target, trained);
    expect((await readdir(target)).sort()).toEqual(['localizer', 'myoseg.json', 'segmenter']);
    expect((await readdir(join(target, 'segmenter'))).sort()).toEqual(['model.json', 'weights.bin']);
    const loaded = await loadSegmenterFolder(target);
    const weights = (m: typeof trained.segmenterModel) => m.getWeights().map((w) => Array.from(w.dataSync()));
    expect(weights(loaded.segmenterModel)).toEqual(weights(trained.segmenterModel));
    expect(loaded.manifest.split).toEqual(trained.split);
    loaded.dispose();
    disposePipeline(trained);
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
    await expect(loadSegmenterFolder(target)).rejects.toThrow(/broken\/segmenter: weights hold 10 bytes/);
    disposePipeline(trained);
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
