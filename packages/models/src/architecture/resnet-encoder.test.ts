import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFixture, saveAndLoad, weightValues } from '../../test/fixtures/helpers';
import { parseSafetensors } from '../weights/safetensors';
import { ModelConfigError } from './errors';
import { buildResNetEncoder } from './resnet-encoder';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const shapes = (m: tfl.LayersModel) => m.outputs.map((o) => o.shape);

describe('buildResNetEncoder', () => {
  it('gives PyTorch’s five map sizes (⌊(n − 1)/2⌋ + 1 per stride-2 step) and widths', () => {
    const m = buildResNetEncoder({ depth: 34, inputShape: [250, 250, 3], widthMultiplier: 1 / 8 });
    expect(shapes(m)).toEqual([
      [null, 125, 125, 8],
      [null, 63, 63, 8],
      [null, 32, 32, 16],
      [null, 16, 16, 32],
      [null, 8, 8, 64],
    ]);
    const odd = buildResNetEncoder({ depth: 18, inputShape: [37, 53, 1], widthMultiplier: 1 / 4 });
    expect(shapes(odd)).toEqual([
      [null, 19, 27, 16],
      [null, 10, 14, 16],
      [null, 5, 7, 32],
      [null, 3, 4, 64],
      [null, 2, 2, 128],
    ]);
  });

  it('names its weighted layers after every module of torchvision’s resnet34 state dict', () => {
    const m = buildResNetEncoder({ depth: 34, inputShape: [32, 32, 3], widthMultiplier: 1 / 8 });
    const torchModules = new Set(
      [...parseSafetensors(readFixture('resnet34_w8.safetensors')).tensors.keys()]
        .filter((k) => !k.startsWith('fc.'))
        .map((k) => k.slice(0, k.lastIndexOf('.'))),
    );
    const weighted = m.layers.filter((l) => l.weights.length > 0).map((l) => l.name);
    expect(new Set(weighted)).toEqual(torchModules);
    expect(torchModules.has('layer2.0.downsample.0')).toBe(true);
  });

  it('has resnet18’s blocks [2, 2, 2, 2] for depth 18', () => {
    const m = buildResNetEncoder({ depth: 18, inputShape: [32, 32, 3], widthMultiplier: 1 / 8 });
    const blocks = m.layers.filter((l) => /^layer\d\.\d+$/.test(l.name)).map((l) => l.name);
    expect(blocks).toEqual([
      'layer1.0',
      'layer1.1',
      'layer2.0',
      'layer2.1',
      'layer3.0',
      'layer3.1',
      'layer4.0',
      'layer4.1',
    ]);
    expect(m.outputs.map((o) => o.sourceLayer.name)).toEqual([
      'relu',
      'layer1.1',
      'layer2.1',
      'layer3.1',
      'layer4.1',
    ]);
  });

  it('uses PyTorch’s BatchNorm (eps 1e-5, momentum 0.1) and torchvision’s kaiming-normal (fan_out) convs', () => {
    const m = buildResNetEncoder({ depth: 18, inputShape: [32, 32, 3], widthMultiplier: 1 / 2, seed: 3 });
    const bn = m.getLayer('layer3.0.bn1').getConfig();
    expect(bn.epsilon).toBe(1e-5);
    expect(bn.momentum).toBe(0.9);
    const kernel = m.getLayer('layer3.1.conv1').getWeights()[0]; // [3, 3, 128, 128]
    const { mean, variance } = tf.moments(kernel);
    expect(Math.abs(mean.dataSync()[0])).toBeLessThan(0.002);
    expect(Math.sqrt(variance.dataSync()[0]) / Math.sqrt(2 / (9 * 128))).toBeCloseTo(1, 1);
  });

  it('draws the same weights for the same seed and different ones for another', () => {
    const build = (seed: number) =>
      weightValues(buildResNetEncoder({ depth: 18, inputShape: [16, 16, 3], widthMultiplier: 1 / 8, seed }));
    const [a, b, c] = [build(1), build(1), build(2)];
    expect(a).toEqual(b);
    expect(a['layer1.0.conv1/0']).not.toEqual(c['layer1.0.conv1/0']);
  });

  it('keeps its dotted torchvision names and outputs through save and load (tf.io memory handler)', async () => {
    // A second model in the same process gets uniquified variable names (`conv1/kernel_1`); save and load
    // go by the layer-scoped original names, so this also checks that the dots survive the round trip.
    const m = buildResNetEncoder({ depth: 18, inputShape: [24, 20, 3], widthMultiplier: 1 / 8, seed: 4 });
    const loaded = await saveAndLoad(m);
    expect(loaded.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    const x = tf.randomNormal([2, 24, 20, 3], 0, 1, 'float32', 9);
    const [ya, yb] = [m.predict(x) as tf.Tensor[], loaded.predict(x) as tf.Tensor[]];
    ya.forEach((y, i) => {
      expect(yb[i].shape).toEqual(y.shape);
      expect(tf.max(tf.abs(tf.sub(y, yb[i]))).dataSync()[0]).toBe(0);
    });
  });

  it('rejects bad options with a ModelConfigError naming the option', () => {
    const ok = { depth: 18 as const, inputShape: [32, 32, 3] as [number, number, number] };
    expect(() => buildResNetEncoder({ ...ok, depth: 50 as 18 })).toThrow(/depth must be 18 or 34/);
    expect(() => buildResNetEncoder({ ...ok, inputShape: [32, 0, 3] })).toThrow(ModelConfigError);
    expect(() =>
      buildResNetEncoder({ ...ok, inputShape: [32, 32] as unknown as [number, number, number] }),
    ).toThrow(/inputShape/);
    expect(() => buildResNetEncoder({ ...ok, widthMultiplier: 0 })).toThrow(/widthMultiplier/);
    expect(() => buildResNetEncoder({ ...ok, seed: 0.5 })).toThrow(/seed/);
  });
});
