import { availableParallelism } from 'node:os';
import { exportOnnx, exportTrainingOnnx, type TrainingGraphs, toConvWeight } from '@myoseg/models/onnx';
import { applyGradients, type PredictorFactory, type TrainBatch } from '@myoseg/models/training';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { OnnxStageError } from './errors';
import { createSession } from './ort-stage';
import { loadOnnxRuntime, type OnnxRuntime, type OnnxSession, type OnnxTensor } from './runtime';

/** Options of {@link createOrtTrainer}. */
export interface OrtTrainerOptions {
  /** Threads of each operator (default: the machine's cores). */
  intraOpNumThreads?: number;
}

/** A `StageTrainer` (of `@myoseg/models`) whose steps run on onnxruntime-node. */
export interface OrtTrainer {
  /** One optimizer step on onnxruntime-node, with `trainBatch`'s arguments and result. */
  readonly trainBatch: TrainBatch;
  /**
   * The validation passes on onnxruntime-node: the network's inference graph (`exportOnnx`) with the weights it has
   * when the pass starts, in one session for the pass.
   */
  readonly predictor: PredictorFactory;
  /** Releases the onnxruntime sessions; the model stays usable. */
  dispose(): Promise<void>;
  /** `'onnxruntime-node <version>'`. */
  readonly runtime: string;
  /** Threads of each operator. */
  readonly intraOpNumThreads: number;
}

interface StepSessions {
  graphs: TrainingGraphs;
  forward: OnnxSession;
  backward: OnnxSession;
}

/**
 * Runs each training step of `model` on onnxruntime-node: the forward pass in training mode and its backward
 * (`exportTrainingOnnx` of `@myoseg/models`, one pair of graphs per set of trainable parameters), with onnxruntime's
 * native, multi-threaded kernels instead of tfjs'. The loss and the optimizer stay tfjs': the forward graph gives
 * the predictions, tfjs evaluates `loss` and its gradient with respect to them, the backward graph turns that into
 * the parameters' gradients, `applyGradients` updates the model's variables, and BatchNorm's running statistics
 * move as tfjs moves them. A step equals `trainBatch`'s up to float rounding; the weights stay in the tfjs model, so
 * checkpoints, freezing and the rest of training work as before. Pass `trainer.trainBatch` as the `trainBatch`
 * option of `fitOneCycle`, `fineTune` or `lrFind`, or `() => createOrtTrainer(model)` as `trainPipeline`'s
 * `trainer`.
 *
 * @throws {@link OnnxStageError} when onnxruntime-node is not installed or cannot load the graphs; the graphs'
 *   own errors (`OnnxExportError`) for a layer they do not support.
 */
export async function createOrtTrainer(
  model: LayersModel,
  options: OrtTrainerOptions = {},
): Promise<OrtTrainer> {
  const load = await loadOnnxRuntime();
  if (load.runtime === null) throw new OnnxStageError(`createOrtTrainer: ${load.reason}`);
  const ort: OnnxRuntime = load.runtime;
  const threads = options.intraOpNumThreads ?? availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new OnnxStageError(`createOrtTrainer: intraOpNumThreads must be an integer ≥ 1, got ${threads}`);
  }
  const variables = new Map(
    model.weights.map((w) => [(w.read() as tf.Variable).name, w.read() as tf.Variable] as const),
  );
  const sessions = new Map<string, Promise<StepSessions>>();
  const session = (bytes: Uint8Array) => createSession(ort, bytes, threads, 'createOrtTrainer');
  const sessionsFor = (trainable: string[]) => {
    const key = trainable.join('\n');
    let s = sessions.get(key);
    if (s === undefined) {
      s = (async () => {
        const graphs = exportTrainingOnnx(model, trainable);
        return { graphs, forward: await session(graphs.forward), backward: await session(graphs.backward) };
      })();
      sessions.set(key, s);
    }
    return s;
  };
  const tensor = (data: Float32Array, dims: readonly number[]): OnnxTensor =>
    new ort.Tensor('float32', data, dims);
  const buffers = new Map<string, Float32Array>();
  const buffer = (name: string, length: number) => {
    let b = buffers.get(name);
    if (b === undefined) {
      b = new Float32Array(length);
      buffers.set(name, b);
    }
    return b;
  };

  const trainBatch: TrainBatch = async (m, batch, params, loss, optimizer, hyper) => {
    if (m !== model) throw new OnnxStageError('trainBatch: the trainer was made for another model');
    const { graphs, forward, backward } = await sessionsFor(params.map((p) => p.variable.name).sort());
    const feeds: Record<string, OnnxTensor> = {
      x: tensor(batch.x.dataSync() as Float32Array, batch.x.shape),
    };
    const flipped = new Map(graphs.flipped.map((f) => [f.variable, f.name]));
    const backwardFeeds: Record<string, OnnxTensor> = {};
    for (const w of graphs.weights) {
      const v = variables.get(w.name) as tf.Variable;
      const data = v.dataSync() as Float32Array;
      if (w.layout === 'tfjs') {
        feeds[w.name] = tensor(data, w.shape);
        continue;
      }
      // conv kernels in ONNX's layout, and flipped for the input gradient, in one pass into buffers kept for the next step
      const flip = flipped.get(w.name);
      const flippedData = flip === undefined ? undefined : buffer(flip, data.length);
      feeds[w.name] = tensor(toConvWeight(data, v.shape, buffer(w.name, data.length), flippedData), w.shape);
      if (flip !== undefined && flippedData) {
        const [kh, kw, i, o] = v.shape;
        backwardFeeds[flip] = tensor(flippedData, [i, o, kh, kw]);
      }
    }
    const pass = await forward.run(feeds);
    const { y } = pass;
    const prediction = tf.tensor4d(y.data as Float32Array, y.dims as [number, number, number, number]);
    const { value: lossTensor, grad } = tf.valueAndGrad((p: tf.Tensor4D) => loss(batch.y, p))(prediction);
    const value = lossTensor.dataSync()[0];
    const dy = grad.dataSync() as Float32Array;
    tf.dispose([prediction, lossTensor, grad]);
    const savedFeeds: Record<string, OnnxTensor> = { ...backwardFeeds, dy: tensor(dy, y.dims) };
    for (const name of graphs.saved) savedFeeds[name] = pass[name];
    for (const name of graphs.reused) savedFeeds[name] = feeds[name];
    const out = { ...pass, ...(await backward.run(savedFeeds)) };
    tf.tidy(() => {
      for (const bn of graphs.batchNorms) {
        const decay = 1 - bn.momentum;
        for (const [name, output] of [
          [bn.movingMean, bn.meanOutput],
          [bn.movingVariance, bn.varianceOutput],
        ]) {
          const v = variables.get(name) as tf.Variable;
          const batchValue = tf.tensor(out[output].data as Float32Array, v.shape);
          v.assign(tf.sub(v, tf.mul(tf.sub(v, batchValue), decay)));
        }
      }
      const grads: tf.NamedTensorMap = {};
      for (const p of params) {
        const g = out[`grad:${p.variable.name}`];
        if (g !== undefined) grads[p.variable.name] = tf.tensor(g.data as Float32Array, p.variable.shape);
      }
      applyGradients(params, grads, optimizer, hyper);
    });
    return value;
  };

  const predictor: PredictorFactory = async (m) => {
    if (m !== model) throw new OnnxStageError('predictor: the trainer was made for another model');
    const s = await session(exportOnnx(model));
    const [input] = s.inputNames;
    const [output] = s.outputNames;
    return {
      predict: async (x) => {
        const out = (await s.run({ [input]: tensor(x.dataSync() as Float32Array, x.shape) }))[output];
        return tf.tensor4d(out.data as Float32Array, out.dims as [number, number, number, number]);
      },
      dispose: () => s.release(),
    };
  };

  return {
    runtime: `onnxruntime-node ${load.version}`,
    intraOpNumThreads: threads,
    trainBatch,
    predictor,
    dispose: async () => {
      const all = await Promise.allSettled(sessions.values());
      sessions.clear();
      await Promise.all(
        all.flatMap((s) =>
          s.status === 'fulfilled' ? [s.value.forward.release(), s.value.backward.release()] : [],
        ),
      );
    },
  };
}
