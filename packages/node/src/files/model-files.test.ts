import '@tensorflow/tfjs-backend-cpu';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileHandler } from './model-files';

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = await mkdtemp(join(tmpdir(), 'myoseg-handler-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('fileHandler', () => {
  it('saves model.json + weights.bin atomically and loads the same model back', async () => {
    const model = tfl.sequential({ layers: [tfl.layers.dense({ units: 3, inputShape: [4] })] });
    const target = join(dir, 'dense');
    await model.save(fileHandler(target));
    expect((await readdir(target)).sort()).toEqual(['.myoseg-output.json', 'model.json', 'weights.bin']);
    expect((await readdir(dir)).filter((n) => n.includes('.tmp-'))).toEqual([]);
    const back = await tfl.loadLayersModel(fileHandler(target));
    const x = tf.tensor2d([[1, 2, 3, 4]]);
    expect(Array.from((back.predict(x) as tf.Tensor).dataSync())).toEqual(
      Array.from((model.predict(x) as tf.Tensor).dataSync()),
    );
  });

  it('names the missing file', async () => {
    await expect(tfl.loadLayersModel(fileHandler(join(dir, 'nothing')))).rejects.toThrow(
      /nothing.model\.json: cannot read \(ENOENT\)/,
    );
  });
});
