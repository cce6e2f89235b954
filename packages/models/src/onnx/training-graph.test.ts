import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { OnnxExportError } from './errors';
import { exportTrainingOnnx } from './training-graph';

beforeAll(() => tf.setBackend('cpu'));

const tinyUNet = () =>
  buildUNet({
    encoder: 'resnet18',
    inputShape: [32, 32, 1],
    numClasses: 2,
    widthMultiplier: 1 / 16,
    seed: 1,
  });

describe('exportTrainingOnnx', () => {
  it('differentiates exactly the requested weights and lists every BatchNorm', () => {
    const model = tinyUNet();
    const names = model.weights.map((w) => (w.read() as tf.Variable).name);
    const trainable = names.filter((n) => /decoder|head/.test(n) && !/moving/.test(n));
    const graphs = exportTrainingOnnx(model, trainable);
    expect(graphs.gradients.sort()).toEqual([...trainable].sort());
    expect(graphs.weights.map((w) => w.name)).toEqual(names);
    const batchNorms = model.layers.filter((l) => l.getClassName() === 'BatchNormalization');
    expect(graphs.batchNorms.map((b) => b.layer)).toEqual(batchNorms.map((l) => l.name));
    expect(graphs.batchNorms.every((b) => b.momentum === 0.9)).toBe(true);
    expect(graphs.saved.length).toBeGreaterThan(0);
    expect(graphs.forward.length).toBeGreaterThan(1000);
    model.dispose();
  });

  it('names what it cannot do', () => {
    const model = tinyUNet();
    expect(() => exportTrainingOnnx(model, ['nope/kernel'])).toThrow(
      /'nope\/kernel' is not a weight of the model/,
    );
    model.dispose();
    const input = tfl.input({ shape: [8, 8, 1] });
    const dense = tfl.layers.dense({ units: 2, name: 'fc' }).apply(input) as tfl.SymbolicTensor;
    const other = tfl.model({ inputs: input, outputs: dense });
    expect(() => exportTrainingOnnx(other, [])).toThrow(OnnxExportError);
    expect(() => exportTrainingOnnx(other, [])).toThrow(/fc.*class not supported for training/);
    other.dispose();
  });
});
