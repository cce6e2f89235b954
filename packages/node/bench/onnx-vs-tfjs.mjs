// Inference speed of a full-width ResNet-34 U-Net (buildUNet, widthMultiplier 1): tfjs-wasm against
// onnxruntime-node on the same weights, ms per batch (medians), and the largest difference of their outputs.
//
// Uses the built packages: run `npx tsup` in packages/models and packages/node first, then
//   node packages/node/bench/onnx-vs-tfjs.mjs [--runs 3] [--channels 3] [--threads N]
import { parseArgs } from 'node:util';
import { buildUNet, countParams } from '@myoseg/models';
import { exportOnnx } from '@myoseg/models/onnx';
import { loadOnnxRuntime, ortStage } from '@myoseg/node';
import { getThreadsCount } from '@tensorflow/tfjs-backend-wasm';
import * as tf from '@tensorflow/tfjs-core';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    channels: { type: 'string', default: '3' },
    threads: { type: 'string' },
  },
});
const runs = Number(values.runs);
const channels = Number(values.channels);
const CASES = [
  { size: 64, batch: 16 },
  { size: 256, batch: 4 },
];

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** ms of each of `runs` calls of `fn`, after one warm-up call; returns the median and the last result. */
async function time(fn) {
  let result = await fn();
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms: median(ms), result };
}

const loaded = await loadOnnxRuntime();
if (loaded.runtime === null) {
  console.error(`onnxruntime-node is needed: ${loaded.reason}`);
  process.exit(1);
}
const ort = loaded.runtime;
await tf.setBackend('wasm');
const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');

const rows = [];
for (const { size, batch } of CASES) {
  const model = buildUNet({
    encoder: 'resnet34',
    inputShape: [size, size, channels],
    numClasses: 2,
    seed: 0,
  });
  const t0 = performance.now();
  const bytes = exportOnnx(model);
  const exportMs = performance.now() - t0;
  const stage = await ortStage(bytes, values.threads ? { intraOpNumThreads: Number(values.threads) } : {});
  if (rows.length === 0) {
    console.log(
      `ResNet-34 U-Net, width 1, ${channels} input channel(s), 2 classes: ${(countParams(model) / 1e6).toFixed(1)} M parameters`,
    );
    console.log(
      `tfjs-wasm ${tf.version_core}: ${getThreadsCount()} thread(s), SIMD ${simd ? 'on' : 'off'}; ` +
        `onnxruntime-node ${loaded.version}: ${stage.intraOpNumThreads} intra-op thread(s); ${runs} runs, medians`,
    );
  }
  const shape = [batch, size, size, channels];
  const x = tf.tidy(() => tf.randomNormal(shape, 0, 1, 'float32', 1).dataSync());
  const tfjs = await time(async () => {
    const input = tf.tensor4d(x, shape);
    const y = model.predict(input);
    const data = await y.data();
    tf.dispose([input, y]);
    return data;
  });
  const [inputName] = stage.session.inputNames;
  const [outputName] = stage.session.outputNames;
  const onnx = await time(
    async () =>
      (await stage.session.run({ [inputName]: new ort.Tensor('float32', x, shape) }))[outputName].data,
  );
  let maxDiff = 0;
  for (let i = 0; i < tfjs.result.length; i++)
    maxDiff = Math.max(maxDiff, Math.abs(tfjs.result[i] - onnx.result[i]));
  rows.push({
    case: `${size}x${size}x${batch}`,
    tfjsWasmMs: Math.round(tfjs.ms),
    onnxruntimeMs: Math.round(onnx.ms),
    ratio: Number((onnx.ms / tfjs.ms).toFixed(3)),
    maxAbsDiff: Number(maxDiff.toExponential(1)),
    exportMs: Math.round(exportMs),
    onnxMB: Number((bytes.length / 2 ** 20).toFixed(1)),
  });
  await stage.release();
  model.dispose();
}
console.table(rows);
console.log('ratio = onnxruntime ms / tfjs-wasm ms (below 1: onnxruntime is faster)');
