import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture';
import { OnnxExportError } from './errors';
import { exportTrainingOnnx } from './export-training-onnx';

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

  it('takes conv kernels in ONNX layout, flipped for stride-1 input gradients, as-is for stride-2 ones', () => {
    const model = tinyUNet();
    const names = model.weights.map((w) => (w.read() as tf.Variable).name);
    const graphs = exportTrainingOnnx(
      model,
      names.filter((n) => !/moving/.test(n)),
    );
    const stem = graphs.weights.find((w) => w.name.startsWith('conv1/kernel'));
    expect(stem).toEqual({ name: expect.any(String), shape: [4, 1, 7, 7], layout: 'conv' }); // tfjs [7, 7, 1, 4]
    expect(graphs.weights.filter((w) => w.layout === 'tfjs').every((w) => !w.name.includes('kernel'))).toBe(
      true,
    );
    const flipped = new Set(graphs.flipped.map((f) => f.variable));
    // layer1's convs have stride 1; the first conv of layer2 has stride 2 (its input gradient reads the kernel)
    expect(flipped.has(names.find((n) => n.startsWith('layer1.0.conv1/kernel')) as string)).toBe(true);
    const strided = names.find((n) => n.startsWith('layer2.0.conv1/kernel')) as string;
    expect(flipped.has(strided)).toBe(false);
    expect(graphs.reused).toContain(strided);
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
