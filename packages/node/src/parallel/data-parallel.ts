import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import {
  applyGradients,
  computeGradients,
  stableWeightOrder,
  type TrainBatch,
  trainBatch,
} from '@myoseg/models/training';
import * as tf from '@tensorflow/tfjs-core';
import type { LayersModel } from '@tensorflow/tfjs-layers';
import { CONTROL, CONTROL_WORDS, fail, publish, waitAtLeast } from './barrier';
import { DataParallelError } from './errors';
import type { FromWorker, StepMessage, ToWorker } from './protocol';
import { shardObjective } from './shard-objective';
import { isRunningStatistic, tensorValues, weightLayout, weightView } from './shared-weights';

/** Options of {@link createDataParallelTrainer}. */
export interface DataParallelOptions {
  /** Copies of the model that share each step, the calling thread's included (default: the machine's cores). */
  replicas?: number;
  /**
   * The module a worker thread loads to run {@link runDataParallelWorker}: a `file:` URL of this package's built
   * entry. Default: the module this function is bundled in (`@myoseg/node`'s `dist/index.js` or `.cjs`).
   */
  workerModule?: string;
  /** Longest wait for another replica during a step, in ms (default 600 000). */
  timeoutMs?: number;
}

/** A model replicated over worker threads; {@link DataParallelTrainer.trainBatch} replaces `trainBatch`. */
export interface DataParallelTrainer {
  /** Copies of the model sharing each step (1 = the calling thread alone). */
  readonly replicas: number;
  /**
   * One optimizer step on a batch, spread over the replicas: the arguments and result of `trainBatch` of
   * `@myoseg/models`, so it can be passed as the `trainBatch` option of `fitOneCycle`, `fineTune` and `lrFind`.
   * Rejects with {@link DataParallelError} for another model than the trainer's, or once a replica has failed.
   */
  readonly trainBatch: TrainBatch;
  /** Stops the worker threads; the model stays usable. */
  dispose(): Promise<void>;
}

/** A worker thread, its gradients buffer, the weights it has not read yet, and its pending request. */
interface Replica {
  worker: Worker;
  gradients: Float32Array;
  stale: Set<number>;
  pending?: { resolve: () => void; reject: (e: Error) => void };
}

/** Splits `batch` rows over at most `replicas`, as evenly as possible, the calling thread first; empty shards dropped. */
export function shardRows(batch: number, replicas: number): [number, number][] {
  const rows: [number, number][] = [];
  for (let k = 0, start = 0; k < replicas; k++) {
    const end = start + Math.floor(batch / replicas) + (k < batch % replicas ? 1 : 0);
    if (end > start) rows.push([start, end]);
    start = end;
  }
  return rows;
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new DataParallelError(
      `createDataParallelTrainer: ${name} must be an integer ≥ 1, got ${String(value)}`,
    );
  }
  return value;
}

/** This package's built entry, which worker threads load; `undefined` when running from sources. */
function defaultWorkerModule(): string | undefined {
  const self = import.meta.url;
  return /\.(c|m)?js$/.test(self) ? self : undefined;
}

/** A replica in a worker thread that loads `module` and runs its `runDataParallelWorker`. */
function startReplica(module: string, index: number, bytes: number): Replica {
  const worker = new Worker(`import(${JSON.stringify(module)}).then((m) => m.runDataParallelWorker());`, {
    eval: true,
  });
  const r: Replica = { worker, gradients: new Float32Array(new SharedArrayBuffer(bytes)), stale: new Set() };
  const settle = (error?: string) => {
    const pending = r.pending;
    r.pending = undefined;
    if (error === undefined) pending?.resolve();
    else pending?.reject(new DataParallelError(`replica ${index}: ${error}`));
  };
  worker.on('message', (msg: FromWorker) => settle(msg.type === 'error' ? msg.message : undefined));
  worker.on('error', (e) => settle(e.message));
  worker.on('exit', (code) => settle(`its thread exited (code ${code})`));
  return r;
}

/**
 * Replicates `model` over worker threads for data-parallel training on the wasm backend, which runs one thread
 * under Node: each step, every replica computes the gradients of its rows of the batch on its own core, the calling
 * thread sums them and applies them once with the caller's optimizer, and the replicas read the new weights.
 *
 * The loss is the whole batch's: each replica publishes its outputs, the calling thread evaluates `loss` on all of
 * them and sends each replica the loss's gradient with respect to its outputs, so a loss that is not a mean over
 * images (the soft Dice sums over the batch) gets the one-batch gradient. BatchNorm is per replica, as in PyTorch's
 * `DistributedDataParallel`: each replica normalizes with its rows' statistics, and the running statistics become
 * the average of the replicas' (weighted by rows; for the running mean this equals the one-batch update). Without
 * BatchNorm, or with identical shards, a step equals the one-batch step up to float rounding.
 *
 * Workers build the model from `model.toJSON()` (the U-Net's custom layers are registered there) and load this
 * package's built entry ({@link DataParallelOptions.workerModule}). Weights that changed since the last step (the
 * optimizer's update, a restored snapshot) are sent before each step, so the caller may change the model between
 * steps. With `replicas: 1` no worker starts and each step is `trainBatch`'s.
 *
 * @returns the trainer once every worker has built its replica; `dispose` it when done.
 * @throws {@link DataParallelError} for a bad option, sources without a built worker module, or a worker that could
 *   not build the replica (the message says why).
 */
export async function createDataParallelTrainer(
  model: LayersModel,
  options: DataParallelOptions = {},
): Promise<DataParallelTrainer> {
  const count = positiveInteger('replicas', options.replicas ?? availableParallelism());
  const timeoutMs = positiveInteger('timeoutMs', options.timeoutMs ?? 600_000);
  const module = options.workerModule ?? defaultWorkerModule();
  if (count > 1 && module === undefined) {
    throw new DataParallelError(
      'createDataParallelTrainer: running from sources; pass workerModule (the URL of the built dist/index.js)',
    );
  }
  const order = stableWeightOrder(model);
  const variables = order.map((w) => w.read() as tf.Variable);
  const index = new Map(variables.map((v, i) => [v, i]));
  const layout = weightLayout(variables.map((v) => v.shape));
  const statistics = order.flatMap((w, i) => (isRunningStatistic(w.originalName) ? [i] : []));
  const bytes = layout.total * 4;
  const weights = new Float32Array(new SharedArrayBuffer(count > 1 ? bytes : 0));
  const control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  const replicas: Replica[] = [];
  const request = (r: Replica, msg: ToWorker, transfer: ArrayBuffer[] = []) =>
    new Promise<void>((resolve, reject) => {
      r.pending = { resolve, reject };
      r.worker.postMessage(msg, transfer);
    });
  /** `dataId` of each weight as last written: a weight whose `dataId` moved has new values. */
  const written: unknown[] = variables.map(() => undefined);
  /** Writes the weights that changed to the shared buffer; each replica reads them at its next step. */
  const writeChangedWeights = () => {
    const backend = tf.backend();
    variables.forEach((v, i) => {
      if (written[i] === v.dataId) return;
      weightView(weights, layout, i).set(tensorValues(backend, v));
      written[i] = v.dataId;
      for (const r of replicas) r.stale.add(i);
    });
  };

  const dispose = async () => {
    await Promise.all(replicas.map((r) => r.worker.terminate()));
    replicas.length = 0;
  };
  if (count > 1) {
    const topology = JSON.stringify(model.toJSON(null, false));
    for (let k = 1; k < count; k++) replicas.push(startReplica(module as string, k, bytes));
    writeChangedWeights();
    try {
      await Promise.all(
        replicas.map((r, k) => {
          r.stale.clear(); // the replica reads every weight when it starts
          return request(r, {
            type: 'init',
            replica: k + 1,
            topology,
            weightNames: order.map((w) => w.originalName),
            weights: weights.buffer as SharedArrayBuffer,
            gradients: r.gradients.buffer as SharedArrayBuffer,
            control: control.buffer as SharedArrayBuffer,
            timeoutMs,
          });
        }),
      );
    } catch (e) {
      await dispose();
      throw e;
    }
  }

  let steps = 0;
  let outputsWritten = 0;
  let exchange: { outputs: Float32Array; cotangents: Float32Array } | undefined;
  const buffersFor = (floats: number) => {
    if (exchange === undefined || exchange.outputs.length < floats) {
      exchange = {
        outputs: new Float32Array(new SharedArrayBuffer(floats * 4)),
        cotangents: new Float32Array(new SharedArrayBuffer(floats * 4)),
      };
    }
    return exchange;
  };

  const step: TrainBatch = async (m, batch, params, loss, optimizer, hyper) => {
    if (m !== model) throw new DataParallelError('trainBatch: the trainer replicates another model');
    if (Atomics.load(control, CONTROL.failed) !== 0) {
      throw new DataParallelError('trainBatch: a replica failed at an earlier step; dispose this trainer');
    }
    const [n, h, w, c] = batch.x.shape;
    const shards = shardRows(n, replicas.length + 1);
    if (shards.length === 1) return trainBatch(model, batch, params, loss, optimizer, hyper); // one row or replica
    steps++;
    const [, , , classes] = batch.y.shape;
    const rowSize = h * w * classes;
    const { outputs, cotangents } = buffersFor(n * rowSize);
    const paramIndices = params.map((p) => {
      const i = index.get(p.variable);
      if (i === undefined)
        throw new DataParallelError(`trainBatch: ${p.variable.name} is not a weight of the model`);
      return i;
    });
    writeChangedWeights();
    const workers = replicas.slice(0, shards.length - 1);
    const done = workers.map((r, k) => {
      const [start, end] = shards[k + 1];
      const x = tf.tidy(() =>
        tf.slice(batch.x, [start, 0, 0, 0], [end - start, h, w, c]).dataSync(),
      ) as Float32Array;
      const msg: StepMessage = {
        type: 'step',
        step: steps,
        rows: [start, end],
        x,
        inputShape: [h, w, c],
        outputShape: [n, h, w, classes],
        params: paramIndices,
        reload: [...r.stale],
        outputs: outputs.buffer as SharedArrayBuffer,
        cotangents: cotangents.buffer as SharedArrayBuffer,
      };
      r.stale.clear();
      return request(r, msg, [x.buffer as ArrayBuffer]);
    });
    outputsWritten += workers.length;
    let lossValue = Number.NaN;
    const [, own] = shards[0];
    const objective = shardObjective({ step: steps, rows: shards[0], outputs, cotangents }, () => {
      waitAtLeast(control, CONTROL.outputs, outputsWritten, timeoutMs, 'waiting for the replicas’ outputs');
      tf.tidy(() => {
        const all = tf.tensor4d(outputs.subarray(0, n * rowSize), [n, h, w, classes]);
        const { value, grad } = tf.valueAndGrad((p: tf.Tensor4D) => loss(batch.y, p))(all);
        lossValue = value.dataSync()[0];
        cotangents.set(grad.dataSync());
      });
      publish(control, CONTROL.cotangents, steps);
    });
    let ownGrads: tf.NamedTensorMap;
    try {
      ownGrads = tf.tidy(() => {
        const x = tf.slice(batch.x, [0, 0, 0, 0], [own, h, w, c]);
        const { value, grads } = computeGradients(model, x, params, objective);
        value.dispose();
        return grads;
      });
    } catch (e) {
      fail(control, 0);
      const failed = (await Promise.allSettled(done)).find((d) => d.status === 'rejected');
      // when the wait saw another replica fail, that replica's own error says why
      if (e instanceof DataParallelError && failed !== undefined)
        throw (failed as PromiseRejectedResult).reason;
      throw e;
    }
    try {
      await Promise.all(done);
    } catch (e) {
      tf.dispose(ownGrads);
      throw e;
    }
    tf.tidy(() => {
      const grads: tf.NamedTensorMap = {};
      for (const p of params) {
        const g = ownGrads[p.variable.name];
        if (g === undefined) continue;
        const i = index.get(p.variable) as number;
        const others = workers.map((r) => tf.tensor(weightView(r.gradients, layout, i), g.shape));
        grads[p.variable.name] = tf.addN([g, ...others]);
      }
      for (const i of statistics) {
        const v = variables[i];
        let sum = tf.mul(v, shards[0][1] - shards[0][0]);
        workers.forEach((r, k) => {
          const [start, end] = shards[k + 1];
          sum = tf.add(sum, tf.mul(tf.tensor(weightView(r.gradients, layout, i), v.shape), end - start));
        });
        v.assign(tf.div(sum, n));
      }
      applyGradients(params, grads, optimizer, hyper);
    });
    tf.dispose(ownGrads);
    return lossValue;
  };

  return { replicas: replicas.length + 1, trainBatch: step, dispose };
}
