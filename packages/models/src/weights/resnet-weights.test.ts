import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture, weightsDigest, weightValues, writeSafetensors } from '../../test/fixtures/helpers';
import { ModelConfigError } from '../architecture/errors';
import { buildResNetEncoder } from '../architecture/resnet-encoder';
import { buildUNet } from '../architecture/unet';
import { SafetensorsFormatError, WeightMismatchError } from './errors';
import { loadResNetWeights } from './resnet-weights';
import { parseSafetensors, type SafetensorsTensor, safetensorsToFloat32 } from './safetensors';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const W8 = readFixture('resnet34_w8.safetensors');
const tensors = parseSafetensors(W8).tensors;
const encoder = (channels: number, depth: 18 | 34 = 34, widthMultiplier = 1 / 8) =>
  buildResNetEncoder({ depth, inputShape: [32, 32, channels], widthMultiplier, seed: 11 });
const kernel = (m: ReturnType<typeof encoder>, name = 'conv1') => m.getLayer(name).getWeights()[0];

/** The fixture with `edit` applied to its tensor list. */
const edited = (edit: (entries: [string, SafetensorsTensor][]) => void) => {
  const entries = [...tensors.entries()].map(([k, t]) => [k, { ...t }] as [string, SafetensorsTensor]);
  edit(entries);
  return writeSafetensors(entries);
};

describe('loadResNetWeights', () => {
  it('loads every encoder tensor (NCHW → HWIO) and ignores fc.* and num_batches_tracked', () => {
    const m = encoder(3);
    const report = loadResNetWeights(m, W8, { format: 'torchvision' });
    expect(report.ignored).toContain('fc.weight');
    expect(report.ignored).toContain('layer4.2.bn2.num_batches_tracked');
    expect(report.loaded + report.ignored.length).toBe(tensors.size);
    // torch [out, in, kh, kw] element (o=5, i=2, y=1, x=6) lands at tfjs [kh, kw, in, out] = [1, 6, 2, 5]
    const torch = safetensorsToFloat32(tensors.get('conv1.weight')!);
    expect((kernel(m).arraySync() as number[][][][])[1][6][2][5]).toBe(torch[((5 * 3 + 2) * 7 + 1) * 7 + 6]);
    const bn = m.getLayer('layer2.0.downsample.1').getWeights();
    ['weight', 'bias', 'running_mean', 'running_var'].forEach((s, k) => {
      expect(Array.from(bn[k].dataSync())).toEqual(
        Array.from(safetensorsToFloat32(tensors.get(`layer2.0.downsample.1.${s}`)!)),
      );
    });
  });

  it('reads timm files the same way (timm’s ResNet keeps torchvision’s names)', () => {
    const [a, b] = [encoder(3), encoder(3)];
    loadResNetWeights(a, W8, { format: 'torchvision' });
    loadResNetWeights(b, W8, { format: 'timm' });
    expect(weightsDigest(a)).toBe(weightsDigest(b));
  });

  it('sums the RGB weights for a 1-channel model, as fastai: x gives what [x, x, x] gives the RGB model', () => {
    const [gray, rgb] = [encoder(1), encoder(3)];
    loadResNetWeights(gray, W8, { format: 'torchvision' });
    loadResNetWeights(rgb, W8, { format: 'torchvision' });
    expect(kernel(gray).shape).toEqual([7, 7, 1, 8]);
    const summed = tf.sum(kernel(rgb), 2, true);
    expect(tf.max(tf.abs(tf.sub(kernel(gray), summed))).dataSync()[0]).toBeLessThan(1e-6);
    const x = tf.randomNormal([1, 32, 32, 1], 0, 1, 'float32', 3);
    const [yg, yr] = [gray.predict(x) as tf.Tensor[], rgb.predict(tf.tile(x, [1, 1, 1, 3])) as tf.Tensor[]];
    yg.forEach((y, i) => {
      const scale = tf.max(tf.abs(yr[i])).dataSync()[0];
      expect(tf.max(tf.abs(tf.sub(y, yr[i]))).dataSync()[0] / scale).toBeLessThan(1e-5);
    });
  });

  it('takes the first two channels × 1.5 for 2 channels, and zeros after RGB for 4 (fastai)', () => {
    const [two, four, rgb] = [encoder(2), encoder(4), encoder(3)];
    for (const m of [two, four, rgb]) loadResNetWeights(m, W8, { format: 'torchvision' });
    const k = kernel(rgb);
    const firstTwo = tf.mul(tf.slice(k, [0, 0, 0, 0], [7, 7, 2, 8]), 1.5);
    expect(tf.max(tf.abs(tf.sub(kernel(two), firstTwo))).dataSync()[0]).toBe(0);
    expect(tf.max(tf.abs(tf.sub(tf.slice(kernel(four), [0, 0, 0, 0], [7, 7, 3, 8]), k))).dataSync()[0]).toBe(
      0,
    );
    expect(tf.max(tf.abs(tf.slice(kernel(four), [0, 0, 3, 0], [7, 7, 1, 8]))).dataSync()[0]).toBe(0);
  });

  it('fills a U-Net’s encoder and leaves its decoder alone', () => {
    const unet = buildUNet({
      encoder: 'resnet34',
      inputShape: [32, 32, 3],
      numClasses: 2,
      widthMultiplier: 1 / 8,
      seed: 2,
    });
    const before = weightValues(unet);
    loadResNetWeights(unet, W8, { format: 'torchvision' });
    const after = weightValues(unet);
    expect(after['decoder.middle.0/0']).toEqual(before['decoder.middle.0/0']);
    expect(after['head.conv/1']).toEqual(before['head.conv/1']);
    expect(after['layer3.5.bn2/3']).toEqual(safetensorsToFloat32(tensors.get('layer3.5.bn2.running_var')!));
  });

  it('lists every unexpected tensor when the file is deeper than the model (resnet34 file, resnet18 model)', () => {
    const m = encoder(3, 18);
    const err = (() => {
      try {
        loadResNetWeights(m, W8, { format: 'torchvision', source: 'r34.safetensors' });
      } catch (e) {
        return e as WeightMismatchError;
      }
    })();
    expect(err).toBeInstanceOf(WeightMismatchError);
    expect(err?.missing).toEqual([]);
    expect(err?.unexpected).toContain('layer1.2.conv1.weight');
    expect(err?.unexpected).toContain('layer3.5.bn2.running_var');
    expect(err?.message).toMatch(/^loadResNetWeights\(r34\.safetensors, format torchvision\): /);
  });

  it('lists every mis-shaped tensor (a wider model) and leaves the model untouched', () => {
    const m = encoder(3, 34, 1 / 4);
    const before = weightsDigest(m);
    let err: WeightMismatchError | undefined;
    try {
      loadResNetWeights(m, W8, { format: 'torchvision' });
    } catch (e) {
      err = e as WeightMismatchError;
    }
    expect(err?.message).toMatch(/conv1\.weight expected \[16, 3, 7, 7\] got \[8, 3, 7, 7\]/);
    // every tensor but fc.weight, fc.bias and the 36 num_batches_tracked has another width
    expect(err?.mismatched).toHaveLength(tensors.size - 2 - 36);
    expect(weightsDigest(m)).toBe(before);
  });

  it('lists missing and non-float tensors together', () => {
    const bytes = edited((entries) => {
      entries.splice(
        entries.findIndex(([k]) => k === 'layer4.2.bn2.running_var'),
        1,
      );
      const i = entries.findIndex(([k]) => k === 'bn1.bias');
      entries[i][1] = { dtype: 'I32', shape: [8], data: new Uint8Array(32) };
    });
    const m = encoder(3);
    try {
      loadResNetWeights(m, bytes, { format: 'timm' });
      expect.unreachable();
    } catch (e) {
      const err = e as WeightMismatchError;
      expect(err.missing).toEqual(['layer4.2.bn2.running_var']);
      expect(err.mismatched).toEqual([{ name: 'bn1.bias', expected: [8], actual: [8], dtype: 'I32' }]);
      expect(err.message).toMatch(/missing \(1\): layer4\.2\.bn2\.running_var; mismatched \(1\): bn1\.bias/);
    }
  });

  it('loads BF16 weights', () => {
    // bfloat16 by truncation: the high 16 bits of each float32
    const bytes = edited((entries) => {
      for (const entry of entries) {
        if (entry[1].dtype !== 'F32') continue;
        const high = new Uint16Array(
          new Uint32Array(safetensorsToFloat32(entry[1]).buffer).map((u) => u >>> 16),
        );
        entry[1] = { dtype: 'BF16', shape: entry[1].shape, data: new Uint8Array(high.buffer) };
      }
    });
    const m = encoder(3);
    loadResNetWeights(m, bytes, { format: 'torchvision' });
    const truncated = new Float32Array(
      new Uint32Array(safetensorsToFloat32(tensors.get('layer4.0.bn2.weight')!).buffer).map(
        (u) => u & 0xffff0000,
      ).buffer,
    );
    expect(Array.from(m.getLayer('layer4.0.bn2').getWeights()[0].dataSync())).toEqual(Array.from(truncated));
  });

  it('throws typed errors for a bad format, a model without ResNet layers, and bytes that are not safetensors', () => {
    expect(() => loadResNetWeights(encoder(3), W8, { format: 'keras' as 'timm' })).toThrow(ModelConfigError);
    const plain = buildUNet({
      encoder: 'resnet18',
      inputShape: [16, 16, 1],
      numClasses: 2,
      widthMultiplier: 1 / 16,
    });
    const decoderOnly = {
      ...plain,
      layers: plain.layers.filter((l) => l.name.startsWith('decoder')),
      name: 'x',
    };
    expect(() => loadResNetWeights(decoderOnly as typeof plain, W8, { format: 'timm' })).toThrow(
      /no torchvision-named/,
    );
    expect(() => loadResNetWeights(encoder(3), new Uint8Array(4), { format: 'timm' })).toThrow(
      SafetensorsFormatError,
    );
  });
});
