import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { saveAndLoad } from '../../test/fixtures/helpers';
import { countParams } from './count-params';
import { ModelConfigError } from './errors';
import { buildUNet, type UNetOptions } from './unet';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const tiny = (h: number, w: number, extra: Partial<UNetOptions> = {}) =>
  buildUNet({ encoder: 'resnet18', inputShape: [h, w, 1], numClasses: 2, widthMultiplier: 1 / 8, ...extra });

describe('buildUNet', () => {
  it.each([
    [250, 250],
    [60, 60],
    [64, 64],
    [37, 53],
  ])('gives a [%i, %i, classes] softmax', (h, w) => {
    const m = tiny(h, w, { encoder: 'resnet34', numClasses: 3, widthMultiplier: 1 / 16 });
    expect(m.outputs[0].shape).toEqual([null, h, w, 3]);
    const y = m.predict(tf.randomNormal([1, h, w, 1], 0, 1, 'float32', 1)) as tf.Tensor;
    expect(y.shape).toEqual([1, h, w, 3]);
    const sums = tf.sum(y, -1);
    expect(tf.max(tf.abs(tf.sub(sums, 1))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([y, sums]);
    m.dispose();
  });

  it('builds for any size from 1×1, cropping only where an upsampled map is one larger than its skip', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 70 }), fc.integer({ min: 1, max: 70 }), (h, w) => {
        const m = tiny(h, w, { widthMultiplier: 1 / 16 });
        expect(m.outputs[0].shape).toEqual([null, h, w, 2]);
        for (const layer of m.layers.filter((l) => l.getClassName() === 'Cropping2D')) {
          const inShape = (layer.input as tfl.SymbolicTensor).shape as number[];
          const outShape = layer.outputShape as number[];
          expect([inShape[1] - outShape[1], inShape[2] - outShape[2]].every((d) => d === 0 || d === 1)).toBe(
            true,
          );
        }
        m.dispose();
      }),
      { numRuns: 8, seed: 42 },
    );
  });

  it('crops as fastai’s F.interpolate(mode="nearest") resizes n + 1 → n: it keeps rows and columns 0 … n − 1', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }),
        fc.integer({ min: 1, max: 40 }),
        fc.boolean(),
        (h, w, wider) => {
          const [H, W] = [h + 1, w + (wider ? 1 : 0)];
          const x = tf.randomNormal([1, H, W, 2], 0, 1, 'float32', h * 41 + w);
          const resized = tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [h, w]);
          const cropped = tf.slice(x, [0, 0, 0, 0], [1, h, w, 2]);
          expect(tf.max(tf.abs(tf.sub(resized, cropped))).dataSync()[0]).toBe(0);
          tf.dispose([x, resized, cropped]);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('has fastai’s parameter counts (resnet34, 3 channels in, 2 classes: 41,221,168)', () => {
    // Hand count of fastai 2's DynamicUnet(resnet34, n_out=2): encoder 21,284,672 (torchvision resnet34 without
    // fc); BatchNorm(512) 1,024; middle convs 4,719,616 + 4,719,104; UnetBlocks 5,245,440 + 3,180,544 +
    // 1,475,968 + 380,736; last PixelShuffle_ICNR(96) 37,248; ResBlock(99) 176,616; head 99 → 2: 200.
    const counts = [
      [{ encoder: 'resnet34', c: 3 }, 41_221_168],
      // 1 channel in: − 6,272 (conv1) − 7,060 (ResBlock(97)) − 4 (head); resnet18's trunk is 10,108,160 smaller
      [{ encoder: 'resnet18', c: 1 }, 31_099_672],
      [{ encoder: 'resnet34', c: 3, upsample: 'nearest' }, 40_084_816], // 1×1 convs to 1/4 of the channels
    ] as const;
    for (const [o, n] of counts) {
      const m = buildUNet({
        encoder: o.encoder,
        inputShape: [64, 64, o.c],
        numClasses: 2,
        decoder: { upsample: 'upsample' in o ? o.upsample : 'pixelshuffle' },
      });
      expect(countParams(m)).toBe(n);
      m.dispose();
    }
  });

  it('keeps the small presets’ parameter counts (1 channel in, 2 classes)', () => {
    const presets = [
      ['resnet34', 1 / 2, 10_310_424],
      ['resnet34', 1 / 4, 2_581_848],
      ['resnet18', 1 / 4, 1_948_696],
      ['resnet18', 1 / 8, 488_840],
    ] as const;
    for (const [encoder, widthMultiplier, n] of presets) {
      const m = buildUNet({ encoder, inputShape: [60, 60, 1], numClasses: 2, widthMultiplier });
      expect(countParams(m)).toBe(n);
      expect(m.countParams() - n).toBe(
        m.layers
          .filter((l) => l.getClassName() === 'BatchNormalization')
          .reduce((s, l) => s + 2 * l.weights[0].shape[0]!, 0),
      );
      m.dispose();
    }
  });

  it('starts each pixel-shuffle upsampling as a nearest-neighbour one (ICNR): equal 2×2 blocks', () => {
    const m = tiny(32, 32, { seed: 3 });
    const probe = tfl.model({ inputs: m.inputs, outputs: m.getLayer('decoder.blocks.1.shuf').output });
    const up = (
      probe.predict(tf.randomNormal([1, 32, 32, 1], 0, 1, 'float32', 5)) as tf.Tensor4D
    ).arraySync()[0];
    expect(up.length).toBe(4);
    let nonZero = 0;
    for (let y = 0; y < up.length; y += 2)
      for (let x = 0; x < up[0].length; x += 2)
        for (let c = 0; c < up[0][0].length; c++) {
          const v = up[y][x][c];
          nonZero += v !== 0 ? 1 : 0;
          expect([up[y][x + 1][c], up[y + 1][x][c], up[y + 1][x + 1][c]]).toEqual([v, v, v]);
        }
    expect(nonZero).toBeGreaterThan(0);
  });

  it('offers nearest upsampling and no last cross', () => {
    const m = tiny(37, 53, { decoder: { upsample: 'nearest', lastCross: false } });
    expect(m.layers.some((l) => l.getClassName() === 'PixelShuffle')).toBe(false);
    expect(m.layers.some((l) => l.name.startsWith('decoder.cross'))).toBe(false);
    expect(m.getLayer('decoder.blocks.0.shuf').getClassName()).toBe('UpSampling2D');
    const y = m.predict(tf.zeros([1, 37, 53, 1])) as tf.Tensor;
    expect(y.shape).toEqual([1, 37, 53, 2]);
  });

  it('is seeded: same seed, same predictions; another seed, others', () => {
    const x = tf.randomNormal([1, 20, 20, 1], 0, 1, 'float32', 2);
    const run = (seed: number) => (tiny(20, 20, { seed }).predict(x) as tf.Tensor).dataSync();
    expect(Array.from(run(1))).toEqual(Array.from(run(1)));
    expect(Array.from(run(1))).not.toEqual(Array.from(run(2)));
  });

  it('keeps tf.memory().numTensors flat across repeated predictions', () => {
    const m = tiny(37, 53);
    const x = tf.randomNormal([2, 37, 53, 1], 0, 1, 'float32', 3);
    tf.dispose(m.predict(x) as tf.Tensor);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) tf.dispose(m.predict(x) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('saves and loads (PixelShuffle registered, crops, dotted names) with identical predictions', async () => {
    const m = tiny(37, 53, { seed: 8 });
    const loaded = await saveAndLoad(m);
    expect(loaded.layers.map((l) => l.name)).toEqual(m.layers.map((l) => l.name));
    const x = tf.randomNormal([1, 37, 53, 1], 0, 1, 'float32', 4);
    const diff = tf.max(tf.abs(tf.sub(m.predict(x) as tf.Tensor, loaded.predict(x) as tf.Tensor)));
    expect(diff.dataSync()[0]).toBe(0);
  });

  it('rejects bad options with a ModelConfigError naming the option', () => {
    const ok: UNetOptions = { encoder: 'resnet18', inputShape: [32, 32, 1], numClasses: 2 };
    expect(() => buildUNet({ ...ok, encoder: 'resnet50' as 'resnet18' })).toThrow(/encoder must be/);
    expect(() => buildUNet({ ...ok, numClasses: 1 })).toThrow(/numClasses/);
    expect(() => buildUNet({ ...ok, numClasses: 2.5 })).toThrow(ModelConfigError);
    expect(() => buildUNet({ ...ok, inputShape: [-1, 32, 1] })).toThrow(/inputShape/);
    expect(() => buildUNet({ ...ok, widthMultiplier: Number.NaN })).toThrow(/widthMultiplier/);
    expect(() => buildUNet({ ...ok, decoder: { upsample: 'bilinear' as 'nearest' } })).toThrow(
      /decoder.upsample/,
    );
    expect(() => buildUNet({ ...ok, decoder: { selfAttention: true as never } })).toThrow(/selfAttention/);
  });
});
