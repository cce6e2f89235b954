import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture/unet';
import { exportOnnx } from './export-onnx';
import { decodeModel, OnnxFormatError } from './onnx-decode';
import { encodeModel } from './onnx-proto';
import { ProtoWriter } from './protobuf';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const unet = () =>
  buildUNet({ encoder: 'resnet18', inputShape: [32, 32, 3], numClasses: 2, widthMultiplier: 0.125, seed: 1 });

describe('decodeModel reads back what exportOnnx writes', () => {
  it.each(['float32', 'float16'] as const)('byte for byte, with %s weights', (weights) => {
    const bytes = exportOnnx(unet(), { weights, docString: 'z-scored input' });
    const model = decodeModel(bytes);
    expect(model).toMatchObject({ irVersion: 8, opsetVersion: 17, docString: 'z-scored input' });
    expect(model.graph.inputs[0].shape).toEqual(['N', 32, 32, 3]);
    expect(Buffer.from(encodeModel(model)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('reads a Node Buffer that is a view into a larger pool, as readFile gives', () => {
    const bytes = exportOnnx(unet());
    const pool = Buffer.alloc(bytes.length + 13, 7);
    pool.set(bytes, 13);
    const view = pool.subarray(13);
    expect(Buffer.from(encodeModel(decodeModel(view))).equals(Buffer.from(bytes))).toBe(true);
  });

  it('refuses damaged bytes and features it would drop, naming the file', () => {
    const bytes = exportOnnx(unet());
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 100), 'cut.onnx')).toThrow(OnnxFormatError);
    expect(() => decodeModel(bytes.subarray(0, bytes.length - 100), 'cut.onnx')).toThrow(
      /^cut.onnx: cannot read/,
    );
    expect(() => decodeModel(new Uint8Array(0), 'empty.onnx')).toThrow(/empty.onnx: not an ONNX model/);
    const contrib = new ProtoWriter()
      .varint(1, 8)
      .message(7, (g) => g.string(2, 'g'))
      .message(8, (o) => o.string(1, 'com.microsoft').varint(2, 1))
      .finish();
    expect(() => decodeModel(contrib, 'ms.onnx')).toThrow(/ms.onnx: .*domain 'com.microsoft'/);
  });
});
