import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture/unet';
import { exportOnnx } from './export-onnx';
import { float16Graph, toFloat16Compute } from './float16-compute';
import { decodeModel, OnnxFormatError } from './onnx-decode';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// nearest upsampling: the graph has Resize nodes, whose scales must stay float32
const model = () =>
  buildUNet({
    encoder: 'resnet18',
    inputShape: [32, 32, 1],
    numClasses: 2,
    widthMultiplier: 0.125,
    decoder: { upsample: 'nearest' },
    seed: 3,
  });

async function run(bytes: Uint8Array, x: Float32Array): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(bytes);
  const out = await session.run({ [session.inputNames[0]]: new ort.Tensor('float32', x, [2, 32, 32, 1]) });
  await session.release();
  return out[session.outputNames[0]].data as Float32Array;
}

describe('toFloat16Compute', () => {
  it('casts in and out, stores float16 weights, and keeps Resize scales float32', () => {
    const f32 = decodeModel(exportOnnx(model())).graph;
    const f16 = decodeModel(toFloat16Compute(exportOnnx(model()), 'unet.onnx')).graph;
    expect(f16.inputs).toEqual(f32.inputs); // callers still feed float32 NHWC
    expect(f16.outputs).toEqual(f32.outputs);
    const [entry, exit] = [f16.nodes[0], f16.nodes.at(-1)];
    expect(entry).toMatchObject({
      opType: 'Cast',
      inputs: [f32.inputs[0].name],
      attributes: [{ name: 'to', int: 10 }],
    });
    expect(exit).toMatchObject({
      opType: 'Cast',
      outputs: [f32.outputs[0].name],
      attributes: [{ name: 'to', int: 1 }],
    });
    const scales = new Set(f16.nodes.filter((n) => n.opType === 'Resize').map((n) => n.inputs[2]));
    expect(scales.size).toBeGreaterThan(0);
    for (const t of f16.initializers) {
      if (scales.has(t.name)) expect(t.data).toBeInstanceOf(Float32Array);
      else expect(t.data).not.toBeInstanceOf(Float32Array); // float16 bits or int64
    }
    expect(f16.initializers.filter((t) => t.data instanceof Uint16Array).length).toBeGreaterThan(20);
  });

  it('onnxruntime runs it: softmax within 0.01 of float32, and not bit-identical (it did compute in float16)', async () => {
    const m = model();
    const x = tf.tidy(() => tf.randomNormal([2, 32, 32, 1], 0, 1, 'float32', 5).dataSync() as Float32Array);
    const f32 = await run(exportOnnx(m), x);
    const f16 = await run(toFloat16Compute(exportOnnx(m)), x);
    let max = 0;
    let agree = 0;
    for (let i = 0; i < f32.length; i += 2) {
      max = Math.max(max, Math.abs(f32[i] - f16[i]));
      agree += Number(f32[i] > f32[i + 1] === f16[i] > f16[i + 1]);
    }
    expect(max).toBeLessThan(0.01);
    expect(max).toBeGreaterThan(0);
    expect(agree / (f32.length / 2)).toBeGreaterThan(0.99);
  });

  it('a model stored with float16 weights converts too: its Casts now cast to float16', () => {
    const graph = decodeModel(toFloat16Compute(exportOnnx(model(), { weights: 'float16' }))).graph;
    const casts = graph.nodes.filter((n) => n.opType === 'Cast').slice(1, -1);
    expect(casts.length).toBeGreaterThan(20);
    const scales = new Set(graph.nodes.filter((n) => n.opType === 'Resize').map((n) => n.inputs[2]));
    for (const c of casts)
      expect(c.attributes).toEqual([{ name: 'to', int: scales.has(c.outputs[0]) ? 1 : 10 }]);
  });

  it('refuses a graph that already computes in float16, naming the file', () => {
    const once = decodeModel(toFloat16Compute(exportOnnx(model()))).graph;
    expect(() => float16Graph(once, 'seg.onnx')).toThrow(OnnxFormatError);
    expect(() => float16Graph(once, 'seg.onnx')).toThrow(/seg.onnx: the graph already computes in float16/);
  });
});
