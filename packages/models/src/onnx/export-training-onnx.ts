import * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';
import { ONNX_IR_VERSION, ONNX_OPSET_VERSION } from './export-onnx';
import type { toConvWeight } from './kernel-layout';
import { encodeModel, type OnnxValueInfo } from './onnx-proto';
import { batchStatistics } from './training/batch-norm';
import { flippedInput } from './training/conv2d';
import { variableName, writeBackward, writeForward } from './training/step-graphs';
import { Writer } from './training/writer';

/** A BatchNormalization of the model, for the running-statistics update after a training step. */
export interface TrainingBatchNorm {
  /** The layer's name. */
  layer: string;
  /** tfjs variable name of its running mean. */
  movingMean: string;
  /** tfjs variable name of its running variance. */
  movingVariance: string;
  /** tfjs' momentum: `moving ← moving − (moving − batch) · (1 − momentum)`. */
  momentum: number;
  /** Output name of the batch's mean in {@link TrainingGraphs.forward}. */
  meanOutput: string;
  /** Output name of the batch's (biased) variance in {@link TrainingGraphs.forward}. */
  varianceOutput: string;
}

/** A weight input of {@link TrainingGraphs.forward}. */
export interface TrainingWeight {
  /** The tfjs variable's name (the input's name). */
  name: string;
  /** The input's shape: the variable's, or ONNX's `[out, in, kh, kw]` for a conv kernel. */
  shape: number[];
  /** `'conv'`: a conv kernel, fed in ONNX's layout ({@link toConvWeight}); `'tfjs'`: fed as the variable holds it. */
  layout: 'conv' | 'tfjs';
}

/** An input of {@link TrainingGraphs.backward}: a conv kernel flipped for the conv's input gradient. */
export interface FlippedKernelInput {
  /** The input's name. */
  name: string;
  /** The tfjs variable of the kernel, whose data {@link toConvWeight} lays out for `name` (its `flipped`). */
  variable: string;
}

/** The ONNX graphs of one training step of a tfjs U-Net, from {@link exportTrainingOnnx}. */
export interface TrainingGraphs {
  /**
   * The forward pass in training mode (BatchNorm normalizes with the batch's statistics): inputs `x` (`[N, h, w,
   * c]`, NHWC) and every weight (named by its tfjs variable name, laid out as {@link TrainingGraphs.weights}
   * says: conv kernels in ONNX's layout, the rest in tfjs'); outputs `y` (the model's
   * output), each BatchNorm's batch mean and variance, and the {@link TrainingGraphs.saved} tensors.
   */
  forward: Uint8Array;
  /**
   * The backward pass: inputs `dy` (the loss's gradient with respect to `y`, NHWC), the saved tensors of the
   * forward pass, the {@link TrainingGraphs.reused} weights and the {@link TrainingGraphs.flipped} kernels; outputs
   * the gradient of each variable of {@link TrainingGraphs.gradients}, named `grad:<variable>`, in tfjs' layout.
   */
  backward: Uint8Array;
  /** Every weight input of the forward graph. */
  weights: TrainingWeight[];
  /** The forward graph's outputs that are the backward graph's inputs (activations, BatchNorm statistics…). */
  saved: string[];
  /** The weights (inputs of the forward graph) that the backward graph reads too, fed as they are. */
  reused: string[];
  /** The backward graph's inputs of conv kernels flipped for their input gradients. */
  flipped: FlippedKernelInput[];
  /** The variables whose gradients `backward` outputs. */
  gradients: string[];
  /** The BatchNormalizations, for the running-statistics update. */
  batchNorms: TrainingBatchNorm[];
}

/**
 * The ONNX graphs of a training step of a tfjs U-Net (as `buildUNet` makes), for an ONNX runtime to run the
 * step's arithmetic (`@myoseg/node`'s `createOrtTrainer` does, on onnxruntime-node): the forward pass in training
 * mode (BatchNorm on the batch's statistics), which also outputs what the backward pass reads, and the backward
 * pass. The weights are graph inputs: conv kernels in ONNX's layout ({@link toConvWeight}; the backward pass also
 * takes them flipped, written in the same pass), the rest as the model's variables hold them; gradients come out
 * in tfjs' layout. The loss stays outside: the backward graph takes its gradient with respect to the output, so any
 * loss works.
 *
 * @param trainable - tfjs variable names of the weights to differentiate (the others are constants of the step).
 * @throws {@link OnnxExportError} for a layer class or setting the graphs do not support (naming the layer), or a
 *   name that is no weight of the model.
 */
export function exportTrainingOnnx(model: tfl.LayersModel, trainable: readonly string[]): TrainingGraphs {
  if (!(model instanceof tfl.LayersModel)) {
    throw new OnnxExportError(`model must be a tfjs LayersModel, got ${String(model)}`);
  }
  const [input] = model.inputs;
  const [output] = model.outputs;
  const [, h, wd, c] = input.shape as number[];
  const [, oh, ow, oc] = output.shape as number[];
  const variableShapes = new Map(model.weights.map((v) => [variableName(v), [...v.shape] as number[]]));
  const known = new Set(variableShapes.keys());
  for (const t of trainable) {
    if (!known.has(t)) throw new OnnxExportError(`exportTrainingOnnx: '${t}' is not a weight of the model`);
  }
  const encode = (w: Writer, name: string, inputs: OnnxValueInfo[], outputs: OnnxValueInfo[]) =>
    encodeModel({
      irVersion: ONNX_IR_VERSION,
      opsetVersion: ONNX_OPSET_VERSION,
      producerName: '@myoseg/models',
      producerVersion: `tfjs-layers ${tfl.version_layers}`,
      graph: { name, nodes: w.g.nodes, initializers: w.g.initializers, inputs, outputs },
    });

  const fw = new Writer('f:');
  const { records, output: last } = writeForward(fw, model);
  const bw = new Writer('b:');
  const grads = writeBackward(bw, records, last, new Set(trainable));
  const kernels = new Set(records.flatMap((r) => (r.conv ? [r.vars.kernel] : [])));
  const weights: TrainingWeight[] = [...variableShapes].map(([name, shape]) => {
    if (!kernels.has(name)) return { name, shape, layout: 'tfjs' };
    const [kh, kw, i, o] = shape;
    return { name, shape: [o, i, kh, kw], layout: 'conv' };
  });
  const shapeOf = new Map(weights.map((v) => [v.name, v.shape]));
  // what the backward pass reads from the forward one: names it uses but neither makes nor holds
  const made = new Set([
    ...bw.g.nodes.flatMap((n) => n.outputs),
    ...bw.g.initializers.map((t) => t.name),
    'dy',
    '',
  ]);
  const read = [...new Set(bw.g.nodes.flatMap((n) => n.inputs))].filter((name) => !made.has(name));
  const reused = read.filter((name) => shapeOf.has(name));
  const flipped = [...kernels]
    .map((variable) => ({ name: flippedInput(variable), variable }))
    .filter((f) => read.includes(f.name));
  const flippedNames = new Set(flipped.map((f) => f.name));
  const saved = read.filter((name) => !shapeOf.has(name) && !flippedNames.has(name));
  // MaxPool's argmax indices are the int64 ones
  const indices = new Set(records.flatMap((r) => (r.saved.indices ? [r.saved.indices] : [])));
  const savedInfo = saved.map((name) => ({ name, ...(indices.has(name) ? { type: 'int64' as const } : {}) }));
  const batchNorms: TrainingBatchNorm[] = records
    .filter((r) => r.className === 'BatchNormalization')
    .map((r) => {
      const statistics = batchStatistics(r.layer.name);
      return {
        layer: r.layer.name,
        movingMean: r.vars.moving_mean,
        movingVariance: r.vars.moving_variance,
        momentum: r.config.momentum as number,
        meanOutput: statistics.mean,
        varianceOutput: statistics.variance,
      };
    });
  const forward = encode(
    fw,
    `${model.name}:forward`,
    [{ name: 'x', shape: ['N', h, wd, c] }, ...weights.map(({ name, shape }) => ({ name, shape }))],
    [
      { name: 'y', shape: ['N', oh, ow, oc] },
      ...batchNorms.flatMap((b) => [{ name: b.meanOutput }, { name: b.varianceOutput }]),
      ...savedInfo,
    ],
  );
  const backward = encode(
    bw,
    `${model.name}:backward`,
    [
      { name: 'dy', shape: ['N', oh, ow, oc] },
      ...savedInfo,
      ...reused.map((name) => ({ name, shape: shapeOf.get(name) as number[] })),
      ...flipped.map(({ name }) => ({ name })),
    ],
    [...grads].map(([v, name]) => ({ name, shape: variableShapes.get(v) as number[] })),
  );
  return { forward, backward, weights, saved, reused, flipped, gradients: [...grads.keys()], batchNorms };
}
