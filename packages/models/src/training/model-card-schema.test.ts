import { describe, expect, it } from 'vitest';
import { expectEveryFieldNamed, problemOf } from '../schema/test-support';
import { MODEL_CARD_VERSION, ModelCardSchema } from './model-card-schema';

const card = {
  encoder: 'resnet34',
  inputSize: [250, 200],
  numClasses: 3,
  labels: ['background', 'myocardium', 'lv'],
  normalization: 'imagenet',
  training: { preset: 'paper', frozenEpochs: 10, finalLoss: null, balanced: true },
  version: MODEL_CARD_VERSION,
};

describe('ModelCardSchema', () => {
  it('takes a card as it is and names each field it refuses', () => {
    expectEveryFieldNamed(ModelCardSchema, card);
  });

  it('wants one label per class and the version this myoseg reads', () => {
    expect(problemOf(ModelCardSchema, { ...card, labels: ['background'] })).toMatchObject({
      field: 'labels',
      expected: 'be 3 strings (one per class)',
    });
    expect(problemOf(ModelCardSchema, { ...card, version: 2 })).toMatchObject({
      field: 'version',
      expected: 'be 1',
    });
  });
});
