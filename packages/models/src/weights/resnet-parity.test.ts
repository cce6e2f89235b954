import '@tensorflow/tfjs-backend-cpu';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResNetEncoder } from '../architecture/resnet-encoder';
import { loadResNetWeights } from './resnet-weights';
import { parseSafetensors, safetensorsToFloat32 } from './safetensors';

const fixture = (name: string) =>
  new Uint8Array(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url)));

/** `[1, c, h, w]` (PyTorch) float32 tensor of a safetensors file as a tfjs `[1, h, w, c]` tensor. */
function nhwc(file: ReturnType<typeof parseSafetensors>, key: string): tf.Tensor4D {
  const t = file.tensors.get(key);
  if (!t) throw new Error(`fixture lacks ${key}`);
  return tf.tidy(() =>
    tf.transpose(
      tf.tensor4d(safetensorsToFloat32(t), t.shape as [number, number, number, number]),
      [0, 2, 3, 1],
    ),
  );
}

/** max |a − b| / max |b| for each of torchvision's maps vs the tfjs encoder's, on every input of the file. */
function relativeErrors(
  weights: Uint8Array,
  features: ReturnType<typeof parseSafetensors>,
  depth: 18 | 34,
  widthMultiplier: number,
): Record<string, number[]> {
  const errors: Record<string, number[]> = {};
  for (const key of features.tensors.keys()) {
    if (!key.startsWith('input_')) continue;
    const tag = key.slice('input_'.length);
    const [h, w] = tag.split('x').map(Number);
    const model = buildResNetEncoder({ depth, inputShape: [h, w, 3], widthMultiplier, seed: 5 });
    loadResNetWeights(model, weights, { format: 'torchvision' });
    errors[tag] = tf.tidy(() => {
      const outs = model.predict(nhwc(features, key)) as tf.Tensor[];
      return outs.map((out, i) => {
        const ref = nhwc(features, `features_${tag}.${i}`);
        expect(out.shape).toEqual(ref.shape);
        return tf.max(tf.abs(tf.sub(out, ref))).dataSync()[0] / tf.max(tf.abs(ref)).dataSync()[0];
      });
    });
    model.dispose();
  }
  return errors;
}

describe('ResNet-34 encoder vs torchvision (fixture from make_resnet_fixture.py)', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('gives torchvision’s five feature maps within 1e-4 of each map’s scale, at 64×64 and 37×53', () => {
    const errors = relativeErrors(
      fixture('resnet34_w8.safetensors'),
      parseSafetensors(fixture('resnet34_w8_features.safetensors')),
      34,
      1 / 8,
    );
    console.log('w8 relative errors', errors);
    expect(Object.keys(errors).sort()).toEqual(['37x53', '64x64']);
    for (const e of Object.values(errors)) {
      expect(e).toHaveLength(5);
      for (const v of e) expect(v).toBeLessThanOrEqual(1e-4);
    }
  });

  // The full-width torchvision resnet34() is 87 MB: made locally with `make_resnet_fixture.py --full DIR`.
  const fullDir = process.env.MYOSEG_FULL_RESNET34_DIR;
  it.skipIf(!fullDir || !existsSync(join(fullDir, 'resnet34.safetensors')))(
    'full-width torchvision resnet34() within 1e-4 (MYOSEG_FULL_RESNET34_DIR)',
    () => {
      const dir = fullDir as string;
      const errors = relativeErrors(
        new Uint8Array(readFileSync(join(dir, 'resnet34.safetensors'))),
        parseSafetensors(new Uint8Array(readFileSync(join(dir, 'resnet34_features.safetensors')))),
        34,
        1,
      );
      console.log('full resnet34 relative errors', errors);
      for (const v of Object.values(errors).flat()) expect(v).toBeLessThanOrEqual(1e-4);
    },
  );
});
