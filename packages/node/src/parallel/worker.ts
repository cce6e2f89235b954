import { isMainThread, parentPort } from 'node:worker_threads';
import { registerUNetLayers } from '@myoseg/models';
import { computeGradients, stableWeightOrder, type TrainableParameter } from '@myoseg/models/training';
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { initBackend } from '../backend';
import { bump, CONTROL, fail, waitAtLeast } from './barrier';
import { DataParallelError } from './errors';
import type { FromWorker, InitMessage, StepMessage, ToWorker } from './protocol';
import { shardObjective } from './shard-objective';
import {
  isRunningStatistic,
  tensorValues,
  type WeightLayout,
  weightLayout,
  weightView,
} from './shared-weights';

/** A replica: its model and the buffers it shares with the calling thread. */
interface Replica {
  init: InitMessage;
  model: tfl.LayersModel;
  variables: tf.Variable[];
  layout: WeightLayout;
  weights: Float32Array;
  gradients: Float32Array;
  control: Int32Array;
  statistics: number[];
}

async function buildReplica(init: InitMessage): Promise<Replica> {
  await initBackend({ prefer: 'wasm' });
  registerUNetLayers();
  const model = await tfl.models.modelFromJSON({ modelTopology: JSON.parse(init.topology) });
  const order = stableWeightOrder(model);
  const names = order.map((w) => w.originalName);
  if (names.length !== init.weightNames.length || names.some((n, i) => n !== init.weightNames[i])) {
    throw new DataParallelError(
      `replica ${init.replica}: the model rebuilt from its topology has other weights than the original`,
    );
  }
  const variables = order.map((w) => w.read() as tf.Variable);
  const replica: Replica = {
    init,
    model,
    variables,
    layout: weightLayout(variables.map((v) => v.shape)),
    weights: new Float32Array(init.weights),
    gradients: new Float32Array(init.gradients),
    control: new Int32Array(init.control),
    statistics: names.flatMap((n, i) => (isRunningStatistic(n) ? [i] : [])),
  };
  reload(replica, replica.variables.keys());
  return replica;
}

/** Reads weights `indices` from the shared weights buffer. */
function reload(r: Replica, indices: Iterable<number>): void {
  tf.tidy(() => {
    for (const i of indices) {
      const v = r.variables[i];
      v.assign(tf.tensor(weightView(r.weights, r.layout, i), v.shape));
    }
  });
}

/** One step's share: gradients of this replica's rows, written with its running statistics to its buffer. */
function step(r: Replica, msg: StepMessage): void {
  reload(r, msg.reload);
  const wanted = new Set(msg.params);
  r.variables.forEach((v, i) => {
    v.trainable = wanted.has(i);
  });
  const params: TrainableParameter[] = msg.params.map((i) => ({
    variable: r.variables[i],
    group: 0,
    decay: false,
  }));
  const [start, end] = msg.rows;
  const objective = shardObjective(
    {
      step: msg.step,
      rows: msg.rows,
      outputs: new Float32Array(msg.outputs),
      cotangents: new Float32Array(msg.cotangents),
    },
    () => {
      bump(r.control, CONTROL.outputs);
      waitAtLeast(
        r.control,
        CONTROL.cotangents,
        msg.step,
        r.init.timeoutMs,
        `replica ${r.init.replica} waiting for the output gradients`,
      );
    },
  );
  tf.tidy(() => {
    const x = tf.tensor4d(msg.x, [end - start, ...msg.inputShape]);
    const { grads } = computeGradients(r.model, x, params, objective);
    const backend = tf.backend();
    for (const i of msg.params) {
      const g = grads[r.variables[i].name];
      if (g !== undefined) weightView(r.gradients, r.layout, i).set(tensorValues(backend, g));
    }
    for (const i of r.statistics)
      weightView(r.gradients, r.layout, i).set(tensorValues(backend, r.variables[i]));
  });
}

/**
 * The loop of a worker thread started by {@link createDataParallelTrainer}: builds the model replica it is sent
 * (on the wasm backend, with myoseg's training kernels) and computes its rows' gradients at every step. Exported
 * for those threads only (they load this package and call it).
 *
 * @throws {@link DataParallelError} outside such a worker thread.
 */
export function runDataParallelWorker(): void {
  const port = parentPort;
  if (isMainThread || port === null) {
    throw new DataParallelError(
      'runDataParallelWorker: runs only in a worker thread of createDataParallelTrainer',
    );
  }
  const send = (msg: FromWorker) => port.postMessage(msg);
  let replica: Promise<Replica> | undefined;
  port.on('message', async (msg: ToWorker) => {
    try {
      if (msg.type === 'init') {
        replica = buildReplica(msg);
        await replica;
        send({ type: 'ready' });
      } else {
        const r = await (replica as Promise<Replica>);
        try {
          step(r, msg);
        } catch (e) {
          fail(r.control, r.init.replica);
          throw e;
        }
        send({ type: 'done', step: msg.step });
      }
    } catch (e) {
      send({ type: 'error', message: (e as Error).message });
    }
  });
}
