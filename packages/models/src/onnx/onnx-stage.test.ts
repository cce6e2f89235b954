import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildUNet } from '../architecture/unet';
import { tfStage } from '../pipeline/stage';
import { exportOnnx } from './export-onnx';
import type { OnnxSession } from './onnx-session';
import { OnnxStageError } from './onnx-session';
import { onnxStage } from './onnx-stage';

beforeAll(async () => {
  await tf.setBackend('cpu');
  ortWeb.env.wasm.numThreads = 1; // no worker threads under Node
});

/** `n` seeded `[h, w]` images with a bright disc, as slices are. */
const images = (n: number, h: number, w: number) =>
  Array.from({ length: n }, (_, k) =>
    ndarray(
      Float32Array.from({ length: h * w }, (_, i) => {
        const [y, x] = [Math.floor(i / w), i % w];
        return 100 + 80 * Number((y - h / 2) ** 2 + (x - w / 2 - k) ** 2 < 40) + ((i * 7919) % 13);
      }),
      [h, w],
    ),
  );

describe('onnxStage on onnxruntime-web (wasm, as in a browser without WebGPU)', () => {
  it("gives tfStage's probability maps (to 1e-4), batched or not", async () => {
    const model = buildUNet({
      encoder: 'resnet18',
      widthMultiplier: 0.125,
      inputShape: [32, 32, 1],
      numClasses: 2,
      seed: 3,
    });
    const session = (await ortWeb.InferenceSession.create(exportOnnx(model), {
      executionProviders: ['wasm'],
    })) as unknown as OnnxSession;
    const ours = onnxStage(session, ortWeb.Tensor, { batchSize: 2 });
    expect([ours.inputSize, ours.channels, ours.classes]).toEqual([[32, 32], 1, 2]);
    const input = images(3, 32, 32);
    const [web, tfjs] = [await ours.predict(input), await tfStage(model).predict(input)];
    expect(web).toHaveLength(3);
    let gap = 0;
    web.forEach((m, k) => {
      for (let i = 0; i < m.data.length; i++) gap = Math.max(gap, Math.abs(m.data[i] - tfjs[k].data[i]));
    });
    expect(gap).toBeLessThan(1e-4);
    expect(await ours.predict([])).toEqual([]);
    await expect(ours.predict([ndarray(new Float32Array(31 * 32), [31, 32])])).rejects.toThrow(
      /onnxStage\.predict: image 0 is \[31, 32\], expected \[32, 32\]/,
    );
    await ours.release();
    model.dispose();
  });

  it('refuses a model that is not an NHWC U-Net, a class it does not have, and a bad batch size', () => {
    const session = (input: (number | string)[], output: (number | string)[]) =>
      ({
        inputNames: ['x'],
        outputNames: ['y'],
        inputMetadata: [{ name: 'x', isTensor: true, shape: input }],
        outputMetadata: [{ name: 'y', isTensor: true, shape: output }],
        run: async () => ({}),
        release: async () => {},
      }) as OnnxSession;
    const ok = session(['N', 8, 8, 1], ['N', 8, 8, 2]);
    expect(() => onnxStage(session(['N', 1, 8, 8], ['N', 2, 8, 8]), ortWeb.Tensor)).toThrow(OnnxStageError);
    expect(() => onnxStage(session(['N', 'h', 8, 1], ['N', 8, 8, 2]), ortWeb.Tensor)).toThrow(/fixed height/);
    expect(() => onnxStage(ok, ortWeb.Tensor, { foregroundClasses: [2] })).toThrow(
      /has 2, but the model has 2/,
    );
    expect(() => onnxStage(ok, ortWeb.Tensor, { batchSize: 0 })).toThrow(/batchSize must be an integer ≥ 1/);
  });
});
