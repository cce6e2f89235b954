import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelConfigError } from './errors';
import { isBatchNormLayer, unetLayerGroups } from './layer-groups';
import { buildResNetEncoder } from './resnet-encoder';
import { buildUNet } from './unet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('unetLayerGroups', () => {
  it.each(['resnet34', 'resnet18'] as const)(
    'splits a %s U-Net as fastai: stem + layer1–2, layer3–4, decoder',
    (encoder) => {
      const m = buildUNet({ encoder, inputShape: [40, 40, 1], numClasses: 2, widthMultiplier: 1 / 16 });
      const [g0, g1, g2] = unetLayerGroups(m).map((g) => g.map((l) => l.name));
      expect(g0.slice(0, 6)).toEqual(['conv1.pad', 'conv1', 'bn1', 'relu', 'maxpool.pad', 'maxpool']);
      expect(g0.slice(6).every((n) => /^layer[12]\./.test(n))).toBe(true);
      expect(g1.every((n) => /^layer[34]\./.test(n))).toBe(true);
      expect(g1).toContain('layer3.0.downsample.1');
      expect(g2.every((n) => /^(decoder|head)\./.test(n))).toBe(true);
      expect(g2).toContain('head.conv');
      // every layer but the input in exactly one group
      expect(g0.length + g1.length + g2.length).toBe(m.layers.length - 1);
      expect(new Set([...g0, ...g1, ...g2]).size).toBe(m.layers.length - 1);
    },
  );

  it('throws a ModelConfigError for a model that is not a U-Net', () => {
    const encoder = buildResNetEncoder({ depth: 18, inputShape: [32, 32, 3], widthMultiplier: 1 / 16 });
    expect(() => unetLayerGroups(encoder)).toThrow(ModelConfigError);
  });
});

describe('isBatchNormLayer', () => {
  it('finds the encoder’s and the decoder’s BatchNorms', () => {
    const m = buildUNet({
      encoder: 'resnet18',
      inputShape: [32, 32, 1],
      numClasses: 2,
      widthMultiplier: 1 / 16,
    });
    const bn = m.layers.filter(isBatchNormLayer).map((l) => l.name);
    // resnet18: bn1, 8 blocks × 2, 3 downsamples; decoder: bn on layer4 and on 4 skips
    expect(bn).toHaveLength(1 + 16 + 3 + 1 + 4);
    expect(bn).toContain('decoder.blocks.3.bn');
    expect(isBatchNormLayer(m.getLayer('conv1'))).toBe(false);
  });
});
