// One measurement of bench/run.mjs, in its own process (a fresh wasm heap each time, and a crash, such as the
// wasm heap's 4 GB limit, stays a result): `node bench/measure.mjs '<json spec>'` prints one JSON line.
// Uses the built packages (npm run bench builds them first).
import { writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { buildUNet, countParams, MyocardiumPipeline, tfStage } from '@myoseg/models';
import { exportOnnx } from '@myoseg/models/onnx';
import {
  AdamW,
  diceCrossEntropyLoss,
  stableWeightOrder,
  trainableParameters,
  trainBatch,
  unetLayerGroups,
} from '@myoseg/models/training';
import {
  createDataParallelTrainer,
  createOrtTrainer,
  initBackend,
  loadOnnxRuntime,
  loadPipelineFolder,
  ortStage,
} from '@myoseg/node';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
import { convFlops, modelConvs, TRAIN_FLOPS_FACTOR } from './lib/flops.mjs';
import { median } from './lib/stats.mjs';
import { benchStudy, time } from './lib/study.mjs';

const spec = JSON.parse(process.argv[2]);
const CHANNELS = 3;
const CLASSES = 2;
// Small enough that untrained weights do not diverge (a diverging net slows down on denormals); PyTorch uses the same.
const HYPER = { lr: 1e-5, mom: 0.9, weightDecay: 0.01 };

const unet = (size) =>
  buildUNet({ encoder: 'resnet34', inputShape: [size, size, CHANNELS], numClasses: CLASSES, seed: 0 });

/** A seeded batch: normal inputs `[batch, size, size, 3]`, random one-hot targets. */
function batchOf(size, batch) {
  return tf.tidy(() => {
    const x = tf.randomNormal([batch, size, size, CHANNELS], 0, 1, 'float32', 1);
    const labels = tf.cast(
      tf.greater(tf.randomUniform([batch, size, size], 0, 1, 'float32', 2), 0.5),
      'int32',
    );
    return { x, y: tf.cast(tf.oneHot(labels, CLASSES), 'float32') };
  });
}

/**
 * A full-width U-Net, a batch, and one AdamW step on it (`replicas` > 1: data-parallel; `ortThreads` > 0: on
 * onnxruntime-node); `done` stops the workers or the sessions.
 */
async function trainingSetup(size, batch, replicas, ortThreads = 0) {
  const model = unet(size);
  const data = batchOf(size, batch);
  const params = trainableParameters(model, unetLayerGroups(model));
  const optimizer = new AdamW();
  const hyper = [0, 1, 2].map(() => HYPER);
  const trainer =
    ortThreads > 0
      ? await createOrtTrainer(model, { intraOpNumThreads: ortThreads })
      : replicas > 1
        ? await createDataParallelTrainer(model, { replicas })
        : null;
  const step = trainer ? trainer.trainBatch : trainBatch;
  return {
    model,
    step: () => step(model, data, params, diceCrossEntropyLoss, optimizer, hyper),
    done: () => trainer?.dispose(),
  };
}

/** A full-width U-Net's inference on onnxruntime-node (`provider` cpu or webgpu) over one batch: `run` times it. */
async function inferenceSetup(size, batch, threads, provider = 'cpu') {
  const model = unet(size);
  const { x } = batchOf(size, batch);
  const stage = await ortStage(exportOnnx(model), {
    intraOpNumThreads: threads,
    executionProvider: provider,
  });
  const ort = (await loadOnnxRuntime()).runtime;
  const feed = { [stage.session.inputNames[0]]: new ort.Tensor('float32', x.dataSync(), x.shape) };
  return { model, run: () => stage.session.run(feed), done: () => stage.release() };
}

const forwardFlops = (model, batch) => convFlops(modelConvs(model)) * batch;
const heapBytes = () => tf.backend().wasm?.HEAPU8.length ?? null;

const measures = {
  async info() {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const ort = await loadOnnxRuntime();
    const model = unet(64);
    const out = {
      tfjs: tf.version_core,
      simd: Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')),
      wasmThreads: wasm.getThreadsCount(),
      onnxruntime: ort.version ?? null,
      params: countParams(model),
    };
    model.dispose();
    return out;
  },

  /** GFLOP/s of a 1024² matMul on the wasm backend (XNNPACK, one thread): the wasm path's ceiling. */
  async 'peak-wasm'() {
    const n = 1024;
    const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
    const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
    let best = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 6; i++) {
      const t0 = performance.now();
      const c = tf.matMul(a, b);
      c.dataSync();
      best = Math.min(best, performance.now() - t0);
      c.dispose();
    }
    return { gflops: (2 * n ** 3) / best / 1e6 };
  },

  async 'infer-wasm'({ size, batch, runs, warmup }) {
    const model = unet(size);
    const { x } = batchOf(size, batch);
    const t = await time(
      async () => {
        const y = model.predict(x);
        await y.data();
        y.dispose();
      },
      { runs, warmup },
    );
    return { ...t, flops: forwardFlops(model, batch) };
  },

  async 'infer-ort'({ size, batch, runs, warmup, threads, provider = 'cpu' }) {
    const { model, run, done } = await inferenceSetup(size, batch, threads, provider);
    const t = await time(run, { runs, warmup });
    await done();
    return { ...t, flops: forwardFlops(model, batch) };
  },

  /**
   * Answers request lines `{ op: 'infer' | 'train', size, batch }` on stdin with `{ ms }` lines: one timed
   * onnxruntime-node run each, after `warmup` untimed ones the first time a cell and op are asked for. bench/run.mjs
   * interleaves these with PyTorch's (`unet_pytorch.py --serve`), so that the machine's load hits both alike.
   */
  async serve({ warmup, threads }) {
    const ready = new Map();
    for await (const line of createInterface({ input: process.stdin })) {
      const { op, size, batch } = JSON.parse(line);
      const key = `${op} ${size}x${batch}`;
      if (!ready.has(key)) {
        const fn =
          op === 'infer'
            ? (await inferenceSetup(size, batch, threads)).run
            : (await trainingSetup(size, batch, 1, threads)).step;
        for (let i = 0; i < warmup; i++) await fn();
        ready.set(key, fn);
      }
      const t0 = performance.now();
      await ready.get(key)();
      process.stdout.write(`${JSON.stringify({ ms: performance.now() - t0 })}\n`);
    }
    return { served: [...ready.keys()] };
  },

  async 'train-wasm'({ size, batch, runs, warmup, replicas }) {
    const { model, step, done } = await trainingSetup(size, batch, replicas);
    const t = await time(step, { runs, warmup });
    await done();
    return { ...t, flops: TRAIN_FLOPS_FACTOR * forwardFlops(model, batch), heapMB: heapBytes() / 2 ** 20 };
  },

  async 'train-ort'({ size, batch, runs, warmup, threads }) {
    const { model, step, done } = await trainingSetup(size, batch, 1, threads);
    const t = await time(step, { runs, warmup });
    await done();
    return { ...t, flops: TRAIN_FLOPS_FACTOR * forwardFlops(model, batch) };
  },

  /** Our weights, an input and our eval-mode output, for unet_pytorch.py --check. */
  async check({ size, batch, file }) {
    const model = unet(size);
    // random running statistics, so that the check covers them too
    tf.tidy(() => {
      stableWeightOrder(model).forEach((w, i) => {
        if (/moving_mean$/.test(w.originalName)) w.write(tf.randomNormal(w.shape, 0, 0.1, 'float32', i));
        if (/moving_variance$/.test(w.originalName))
          w.write(tf.randomUniform(w.shape, 0.5, 1.5, 'float32', i));
      });
    });
    const { x } = batchOf(size, batch);
    const y = model.predict(x);
    const entries = [];
    const arrays = [];
    let offset = 0;
    const add = (name, t) => {
      entries.push({ name, shape: t.shape, offset });
      arrays.push(t.dataSync());
      offset += t.size;
    };
    for (const layer of model.layers) for (const w of layer.weights) add(w.originalName, w.read());
    add('input', x);
    add('output', y);
    const header = Buffer.from(
      JSON.stringify({
        channels: CHANNELS,
        classes: CLASSES,
        weights: entries.slice(0, -2),
        input: entries.at(-2),
        output: entries.at(-1),
      }),
    );
    const length = Buffer.alloc(4);
    length.writeUInt32LE(header.length);
    const body = Buffer.concat(arrays.map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength)));
    writeFileSync(file, Buffer.concat([length, header, body]));
    return { params: countParams(model), weights: entries.length - 2 };
  },

  /**
   * ms per slice of MyocardiumPipeline with ResNet-34 U-Nets at the paper's sizes, on onnxruntime (`provider`: cpu or
   * webgpu) and, unless `wasm: false`, on tfjs-wasm.
   */
  async pipeline({ slices, runs, warmup, threads, provider = 'cpu', wasm: withWasm = true }) {
    const localizer = unet(250);
    // untrained weights: a head bias that calls every pixel foreground, so that every slice runs all four steps
    const head = localizer.getLayer('head.conv');
    head.setWeights([head.getWeights()[0], tf.tensor1d([-8, 8])]);
    const segmenter = unet(60);
    const [h, w] = [256, 216];
    const images = Array.from({ length: slices }, (_, k) =>
      ndarray(
        Float32Array.from(
          { length: h * w },
          (_, i) => 100 + 50 * Math.sin((i % w) / (7 + k)) * Math.cos(i / w / 9),
        ),
        [h, w],
      ),
    );
    const run = async (stages) => {
      const method = new MyocardiumPipeline({ ...stages, sigma: 1 });
      let last;
      const t = await time(
        async () => {
          last = await method.segmentBatch(images);
        },
        { runs, warmup },
      );
      const part = (key) => median(last.map((r) => r.timings[key]));
      return {
        msPerSlice: t.ms / slices,
        runs: t.runs.map((ms) => ms / slices),
        localizeMs: part('localizeMs'),
        segmentMs: part('segmentMs'),
        restoreMs: part('restoreMs'),
        found: last.filter((r) => r.found).length,
      };
    };
    const options = { intraOpNumThreads: threads, batchSize: slices, executionProvider: provider };
    const ortStages = {
      localizer: await ortStage(exportOnnx(localizer), options),
      cropSegmenter: await ortStage(exportOnnx(segmenter), options),
    };
    const onnx = await run(ortStages);
    await ortStages.localizer.release();
    await ortStages.cropSegmenter.release();
    if (!withWasm) return { slices, size: [h, w], provider, onnx };
    const wasm = await run({
      localizer: tfStage(localizer, { batchSize: slices }),
      cropSegmenter: tfStage(segmenter, { batchSize: slices }),
    });
    return { slices, size: [h, w], onnx, wasm };
  },

  /**
   * ms per study of `@myoseg/pretrained`'s model on onnxruntime-node: one 10-slice short-axis stack (256×256, a twin
   * patient it never saw) through `segmentVolume` (volume-consistent localization, refinement passes, restore).
   */
  async 'pretrained-study'({ runs, warmup, threads, provider = 'cpu' }) {
    const { pretrainedModelDir } = await import('@myoseg/pretrained/node');
    const folder = await loadPipelineFolder(pretrainedModelDir(), {
      runtime: provider === 'webgpu' ? 'webgpu' : 'onnxruntime',
      intraOpNumThreads: threads,
    });
    const { volume, spacing } = benchStudy();
    let found = 0;
    let mask;
    const t = await time(
      async () => {
        const r = await folder.pipeline.segmentVolume(volume, { spacing });
        found = r.slices.filter((s) => s.found).length;
        mask = r.mask;
      },
      { runs, warmup },
    );
    folder.dispose();
    return {
      msPerStudy: t.ms,
      runs: t.runs,
      slices: volume.shape[0],
      found,
      voxels: mask.data.reduce((a, b) => a + b, 0),
    };
  },

  /** The pretrained model's masks of the bench study on the CPU and on WebGPU: Dice per slice (1 where both empty). */
  async 'webgpu-agreement'({ threads }) {
    const { pretrainedModelDir } = await import('@myoseg/pretrained/node');
    const { volume, spacing } = benchStudy();
    const masks = [];
    for (const runtime of ['onnxruntime', 'webgpu']) {
      const folder = await loadPipelineFolder(pretrainedModelDir(), { runtime, intraOpNumThreads: threads });
      masks.push((await folder.pipeline.segmentVolume(volume, { spacing })).mask);
      folder.dispose();
    }
    const [d, h, w] = volume.shape;
    const dice = Array.from({ length: d }, (_, z) => {
      let both = 0;
      let sum = 0;
      for (let i = z * h * w; i < (z + 1) * h * w; i++) {
        both += masks[0].data[i] & masks[1].data[i];
        sum += masks[0].data[i] + masks[1].data[i];
      }
      return sum === 0 ? 1 : (2 * both) / sum;
    });
    return { minSliceDice: Math.min(...dice), dice };
  },

  /** Kernel times of one train step on one thread (`tf.profile`, after a warm-up step), summed per kernel. */
  async profile({ size, batch }) {
    const { step, done } = await trainingSetup(size, batch, 1);
    await step();
    const t0 = performance.now();
    const info = await tf.profile(step);
    const ms = performance.now() - t0;
    await done();
    const byKernel = new Map();
    // tf.profile lists an op (`fusedConv2d__op`) and the kernel it runs (`FusedConv2D`): count kernels only
    for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
      const e = byKernel.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
      e.ms += k.kernelTimeMs;
      e.calls += 1;
      byKernel.set(k.name, e);
    }
    return { ms, kernels: [...byKernel.values()].sort((a, b) => b.ms - a.ms) };
  },

  /** `steps` train steps; per step its time, engine tensors and bytes, the wasm heap and the process RSS. */
  async memory({ size, batch, steps, replicas }) {
    const { step, done } = await trainingSetup(size, batch, replicas);
    const log = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      await step();
      const m = tf.memory();
      log.push({
        ms: performance.now() - t0,
        tensors: m.numTensors,
        engineMB: m.numBytes / 2 ** 20,
        heapMB: heapBytes() / 2 ** 20,
        rssMB: process.memoryUsage().rss / 2 ** 20,
      });
      process.stderr.write(`  memory step ${i + 1}/${steps}: ${JSON.stringify(log.at(-1))}\n`);
    }
    await done();
    return { log };
  },
};

await initBackend({ prefer: spec.backend ?? 'wasm' });
const result = await measures[spec.kind](spec);
process.stdout.write(`${JSON.stringify(result)}\n`);
process.exit(0);
