import '@tensorflow/tfjs-backend-cpu';
import { type Image2D, type NumericNdArray, resize } from '@myoseg/core';
import { synthesizePatient } from '@myoseg/datasets';
import {
  buildUNet,
  MyocardiumPipeline,
  type SegmentationStage,
  type TfStageOptions,
  tfStage,
} from '@myoseg/models';
import { exportOnnx } from '@myoseg/models/onnx';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import * as ort from 'onnxruntime-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxStageError } from './errors';
import { ortStage } from './ort-stage';

/** Short-axis slices `[H, W]` of a synthetic patient's ED and ES frames (every second slice). */
function patientSlices(index: number): NumericNdArray[] {
  const p = synthesizePatient(index, {
    patients: 4,
    seed: 11,
    params: { imageSizes: [[96, 112]], fieldOfViewMm: [200, 200], frameCount: [6, 8] },
  });
  return [p.frames.ED.image, p.frames.ES.image].flatMap((volume) =>
    Array.from({ length: Math.ceil(volume.shape[0] / 2) }, (_, k) => volume.pick(2 * k, null, null)),
  );
}

/**
 * A tiny random U-Net (ResNet-18 at 1/8 width) with activations of a trained one's size: BatchNorm γ = 0.4 (at
 * torchvision's γ = 1 they grow ×1000 over the encoder) and the head scaled to give logits of ±10 or so.
 */
function tinyUNet(
  size: [number, number],
  channels: 1 | 3,
  numClasses: number,
  seed: number,
): tfl.LayersModel {
  const model = buildUNet({
    encoder: 'resnet18',
    inputShape: [size[0], size[1], channels],
    numClasses,
    widthMultiplier: 0.125,
    seed,
  });
  tf.tidy(() => {
    for (const bn of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
      const [gamma, ...rest] = bn.getWeights();
      bn.setWeights([tf.mul(gamma, 0.4), ...rest]);
    }
    const head = model.getLayer('head.conv');
    head.setWeights(head.getWeights().map((t) => tf.mul(t, 10)));
  });
  return model;
}

const maxAbsDiff = (a: Image2D[], b: Image2D[]) =>
  Math.max(...a.map((m, i) => Math.max(...m.data.map((v, j) => Math.abs(v - b[i].data[j])))));

/** The smallest distance of any probability to `threshold`. */
const margin = (maps: Image2D[], threshold: number) =>
  Math.min(...maps.map((m) => Math.min(...m.data.map((v) => Math.abs(v - threshold)))));

const slices = patientSlices(1);
const models: tfl.LayersModel[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  for (const m of models) m.dispose();
});

describe('ortStage', () => {
  it.each([
    ['per-image', 1, 2, [1]],
    ['imagenet', 3, 3, [1, 2]],
  ] as const)(
    'gives the probability maps of tfStage (%s normalization, %i channel(s), classes %j)',
    async (normalization, channels, numClasses, fg) => {
      const model = tinyUNet([40, 44], channels, numClasses, 3);
      models.push(model);
      const options: TfStageOptions = { normalization, foregroundClasses: fg, batchSize: 3 };
      const ortS = await ortStage(exportOnnx(model), options);
      const images = slices.slice(0, 5).map((s) => resize(s, [40, 44]));
      const expected = await tfStage(model, options).predict(images);
      const got = await ortS.predict(images);
      expect(ortS.inputSize).toEqual([40, 44]);
      expect(got.map((m) => m.shape)).toEqual(expected.map((m) => m.shape));
      expect(maxAbsDiff(got, expected)).toBeLessThanOrEqual(1e-4);
      expect(await ortS.predict([])).toEqual([]);
      await ortS.release();
    },
  );

  it('runs a session it is given, and uses the given threads or else the machine’s cores', async () => {
    const model = tinyUNet([32, 32], 1, 2, 4);
    models.push(model);
    const bytes = exportOnnx(model);
    const session = await ort.InferenceSession.create(bytes);
    const fromSession = await ortStage(session);
    const fromBytes = await ortStage(bytes, { intraOpNumThreads: 1 });
    const byDefault = await ortStage(bytes);
    const images = slices.slice(0, 2).map((s) => resize(s, [32, 32]));
    expect(maxAbsDiff(await fromSession.predict(images), await fromBytes.predict(images))).toBeLessThan(1e-6);
    expect([fromSession.intraOpNumThreads, fromBytes.intraOpNumThreads]).toEqual([null, 1]);
    expect(byDefault.intraOpNumThreads).toBe((await import('node:os')).availableParallelism());
    await Promise.all([fromSession, fromBytes, byDefault].map((s) => s.release()));
  });

  it('rejects bad bytes, a bad class, a bad option and a wrong-size image by name', async () => {
    const model = tinyUNet([32, 32], 1, 2, 5);
    models.push(model);
    const bytes = exportOnnx(model);
    await expect(ortStage(new Uint8Array([1, 2, 3]))).rejects.toThrow(/onnxruntime could not load the model/);
    await expect(ortStage(bytes, { foregroundClasses: [2] })).rejects.toThrow(
      /foregroundClasses has 2, but the model has 2 classes/,
    );
    await expect(ortStage(bytes, { batchSize: 0 })).rejects.toThrow(/batchSize must be an integer ≥ 1/);
    await expect(ortStage('model.onnx' as never)).rejects.toThrow(OnnxStageError);
    const stage = await ortStage(bytes);
    const wrong = ndarray(new Float32Array(31 * 32), [31, 32]);
    await expect(stage.predict([wrong])).rejects.toThrow(/image 0 is \[31, 32\], expected \[32, 32\]/);
    await stage.release();
  });
});

/** `stage`, keeping every map it returns. */
function recorded(stage: SegmentationStage): SegmentationStage & { maps: Image2D[] } {
  const maps: Image2D[] = [];
  return {
    inputSize: stage.inputSize,
    maps,
    async predict(images) {
      const out = await stage.predict(images);
      maps.push(...out);
      return out;
    },
  };
}

describe('MyocardiumPipeline on ortStages', () => {
  it('gives the masks it gives on tfStages', async () => {
    const localizer = tinyUNet([48, 48], 1, 2, 13);
    const segmenter = tinyUNet([32, 32], 1, 2, 14);
    models.push(localizer, segmenter);
    const images = [...patientSlices(2), ...slices].slice(0, 6);
    const tfStages = [tfStage(localizer), tfStage(segmenter)].map(recorded);
    const ortStages = await Promise.all([localizer, segmenter].map((m) => ortStage(exportOnnx(m))));
    const onOrt = ortStages.map(recorded);
    const make = ([loc, seg]: SegmentationStage[]) =>
      new MyocardiumPipeline({ localizer: loc, cropSegmenter: seg, sigma: 1 });
    const expected = await make(tfStages).segmentBatch(images);
    const got = await make(onOrt).segmentBatch(images);

    expect(expected.every((r) => r.found)).toBe(true);
    got.forEach((r, i) => {
      expect(r.found).toBe(expected[i].found);
      expect(r.cropBox).toEqual(expected[i].cropBox);
      expect(Buffer.from(r.regionMask.data).equals(expected[i].regionMask.data)).toBe(true);
      expect(Buffer.from(r.mask.data).equals(expected[i].mask.data)).toBe(true);
    });
    // equal masks are a real agreement only if no probability lies closer to the threshold than the two
    // runtimes' maps differ
    for (const k of [0, 1]) {
      const diff = maxAbsDiff(onOrt[k].maps, tfStages[k].maps);
      expect(diff).toBeLessThanOrEqual(1e-4);
      expect(margin(tfStages[k].maps, 0.5)).toBeGreaterThan(diff);
    }
    await Promise.all(ortStages.map((s) => s.release()));
  });
});
