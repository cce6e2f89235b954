import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { ModelCardError } from './errors';
import { loadModel, MODEL_CARD_VERSION, type ModelCard, parseModelCard, saveModel } from './model-io';
import { useBackend } from './test-support';

beforeAll(async () => {
  await useBackend('wasm');
});

const card: Omit<ModelCard, 'version'> = {
  encoder: 'resnet18',
  inputSize: [32, 32],
  numClasses: 2,
  labels: ['background', 'myocardium'],
  normalization: 'per-image',
  training: { epochs: 3, valDice: 0.93, note: 'test', pretrained: false, valLoss: null },
};

async function saveToMemory(model: LayersModel, c = card) {
  let saved: tf.io.ModelArtifacts | undefined;
  await saveModel(
    model,
    tf.io.withSaveHandler(async (a) => {
      saved = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
    c,
  );
  return saved!;
}

describe('saveModel / loadModel', () => {
  let model: LayersModel;
  beforeAll(() => {
    model = buildUNet({
      encoder: 'resnet18',
      inputShape: [32, 32, 3],
      numClasses: 2,
      widthMultiplier: 1 / 16,
      seed: 3,
    });
  });
  afterAll(() => model.dispose());

  it('round-trips the model (same predictions) and its card through memory', async () => {
    const artifacts = await saveToMemory(model);
    expect((artifacts.userDefinedMetadata as Record<string, unknown>).myosegModelCard).toEqual({
      ...card,
      version: MODEL_CARD_VERSION,
    });
    const loaded = await loadModel(tf.io.fromMemory(artifacts));
    expect(loaded.card).toEqual({ ...card, version: 1 });
    const x = tf.randomNormal([1, 32, 32, 3], 0, 1, 'float32', 5);
    const a = model.predict(x) as tf.Tensor;
    const b = loaded.model.predict(x) as tf.Tensor;
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    loaded.model.dispose();
  });

  it('refuses a saved model without a card, or with an invalid one', async () => {
    const artifacts = await saveToMemory(model);
    await expect(
      loadModel(tf.io.fromMemory({ ...artifacts, userDefinedMetadata: undefined })),
    ).rejects.toThrow(/no myoseg model card/);
    const old = { ...artifacts, userDefinedMetadata: { myosegModelCard: { ...card, version: 99 } } };
    await expect(loadModel(tf.io.fromMemory(old))).rejects.toThrow(ModelCardError);
  });

  it('refuses to save a card that contradicts the model', async () => {
    await expect(saveToMemory(model, { ...card, numClasses: 3, labels: ['a', 'b', 'c'] })).rejects.toThrow(
      /numClasses 3/,
    );
    await expect(saveToMemory(model, { ...card, inputSize: [60, 60] })).rejects.toThrow(/inputSize/);
    await expect(saveToMemory(model, { ...card, labels: ['background'] })).rejects.toThrow(/labels/);
  });
});

describe('parseModelCard', () => {
  const full = { ...card, version: MODEL_CARD_VERSION };

  it('accepts a valid card and names the first bad field', () => {
    expect(parseModelCard(full)).toEqual(full);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ encoder: '' }, /encoder/],
      [{ inputSize: [32] }, /inputSize/],
      [{ numClasses: 1.5 }, /numClasses/],
      [{ normalization: 'zscore' }, /normalization/],
      [{ training: { curve: [1, 2] } }, /training/],
    ];
    for (const [patch, message] of cases)
      expect(() => parseModelCard({ ...full, ...patch })).toThrow(message);
    expect(() => parseModelCard('card')).toThrow(ModelCardError);
    expect(() => parseModelCard(undefined)).toThrow(ModelCardError);
  });
});
