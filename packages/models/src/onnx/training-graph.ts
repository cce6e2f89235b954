import type * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';
import { ONNX_IR_VERSION, ONNX_OPSET_VERSION } from './export-onnx';
import { GraphBuilder } from './graph-builder';
import type { toConvWeight } from './kernel-layout';
import {
  axis,
  checkChannelsLast,
  fail,
  type LayerContext,
  pair,
  sides,
  windowPads,
} from './layer-converters';
import { encodeModel, type OnnxAttribute, type OnnxValueInfo } from './onnx-proto';

type Layer = tfl.layers.Layer;
type Symbolic = tfl.SymbolicTensor;

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

/** A layer's forward emission: what its backward needs. */
interface Recorded {
  layer: Layer;
  className: string;
  config: LayerContext['config'];
  /** NCHW names of the inputs and the output. */
  inputs: string[];
  output: string;
  /** tfjs (NHWC) shapes of the inputs and the output. */
  inputShapes: number[][];
  outputShape: number[];
  /** Intermediate names the backward reads. */
  saved: Record<string, string>;
  /** Conv2D only: its geometry (its weight is the input `vars.kernel`, in ONNX's layout). */
  conv?: { kernel: number[]; strides: number[]; pads: number[] };
  /** tfjs variable names of the layer's weights, by role. */
  vars: Record<string, string>;
}

const perm = (ints: number[]): OnnxAttribute[] => [{ name: 'perm', ints }];
const reduceAxes = (ints: number[], keep: 0 | 1): OnnxAttribute[] => [
  { name: 'axes', ints },
  { name: 'keepdims', int: keep },
];
/** The spatial and batch axes of an NCHW tensor: BatchNorm's and bias's reduction axes. */
const NHW = [0, 2, 3];

/** The graph being written, with helpers for the nodes the rules use. */
class Writer {
  readonly g = new GraphBuilder();
  private count = 0;
  private readonly constants = new Map<string, string>();

  /** @param prefix - starts every name this writer makes, so that two graphs' names never meet. */
  constructor(private readonly prefix: string) {}

  /** A fresh name with `prefix`. */
  fresh(prefix: string): string {
    this.count++;
    return `${this.prefix}${prefix}#${this.count}`;
  }

  op(opType: string, inputs: string[], attributes?: OnnxAttribute[], output?: string): string {
    const out = output ?? this.fresh(opType);
    this.g.node(this.fresh(`n:${opType}`), opType, inputs, out, attributes);
    return out;
  }

  /** A node with several outputs. */
  multi(opType: string, inputs: string[], outputs: string[], attributes?: OnnxAttribute[]): void {
    this.g.nodes.push({ name: this.fresh(`n:${opType}`), opType, inputs, outputs, attributes });
  }

  ints(values: number[]): string {
    const key = `${this.prefix}i:${values.join(',')}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.g.int64s(key, values);
      this.constants.set(key, name);
    }
    return name;
  }

  scalar(value: number): string {
    const key = `${this.prefix}f:${value}`;
    let name = this.constants.get(key);
    if (name === undefined) {
      name = this.g.floats(key, [], Float32Array.of(value));
      this.constants.set(key, name);
    }
    return name;
  }

  /** `[C]` as `[1, C, 1, 1]`, to broadcast over an NCHW tensor. */
  perChannel(v: string): string {
    return this.op('Reshape', [v, this.ints([1, -1, 1, 1])]);
  }

  /** `g` where `y > 0`, 0 elsewhere: ReLU's backward through its output. */
  reluBackward(g: string, y: string): string {
    return this.op('Where', [this.op('Greater', [y, this.scalar(0)]), g, this.scalar(0)]);
  }
}

const nchw = (s: readonly number[]) => [s[3], s[1], s[2]];

/** The backward graph's input of a conv kernel flipped for its input gradient ({@link toConvWeight}). */
const flippedInput = (variable: string) => `flip:${variable}`;

/** The tfjs variable name of a layer weight: the graph's input name for it. */
const variableName = (w: tfl.LayerVariable): string => (w.read() as tf.Variable).name;

/** The layer's weights by role (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`, `moving_variance`). */
function variablesOf(layer: Layer): Record<string, string> {
  const out: Record<string, string> = {};
  for (const w of layer.weights) {
    const role = w.originalName.split('/').at(-1) as string;
    out[role] = variableName(w);
  }
  return out;
}

function emitForward(w: Writer, model: tfl.LayersModel): { records: Recorded[]; output: string } {
  const records: Recorded[] = [];
  const names = new Map<number, string>();
  const [input] = model.inputs;
  names.set(input.id, w.op('Transpose', ['x'], perm([0, 3, 1, 2]), 't:input'));
  for (const layer of model.layers) {
    const className = layer.getClassName();
    if (className === 'InputLayer') continue;
    if (layer.inboundNodes.length !== 1) fail({ layer }, 'layers called more than once are not supported');
    const node = layer.inboundNodes[0];
    const inputs = node.inputTensors.map((t: Symbolic) => names.get(t.id) as string);
    const inputShapes = node.inputTensors.map((t: Symbolic) => t.shape as number[]);
    const out = node.outputTensors[0];
    const config = layer.getConfig();
    const ctx = { layer, config, inputShapes, inputs, output: '', graph: w.g } as unknown as LayerContext;
    const r: Recorded = {
      layer,
      className,
      config,
      inputs,
      output: `t:${layer.name}`,
      inputShapes,
      outputShape: out.shape as number[],
      saved: {},
      vars: variablesOf(layer),
    };
    forwardRules(w, r, ctx);
    names.set(out.id, r.output);
    records.push(r);
  }
  if (model.outputs.length !== 1) throw new OnnxExportError('training graphs need a model with one output');
  const y = names.get(model.outputs[0].id) as string;
  w.op('Transpose', [y], perm([0, 2, 3, 1]), 'y');
  return { records, output: y };
}

function activation(w: Writer, r: Recorded, name: string, x: string, out: string): void {
  const act = String(r.config.activation);
  if (act === 'relu') w.op('Relu', [x], undefined, out);
  else if (act === 'linear') w.op('Identity', [x], undefined, out);
  else if (act === 'softmax') w.op('Softmax', [x], [{ name: 'axis', int: 1 }], out);
  else fail(r, `activation '${act}' is not supported for training (relu, linear, softmax) in ${name}`);
}

function forwardRules(w: Writer, r: Recorded, ctx: LayerContext): void {
  const [x] = r.inputs;
  switch (r.className) {
    case 'Conv2D': {
      checkChannelsLast(ctx);
      const kernel = pair(ctx, 'kernelSize');
      const strides = pair(ctx, 'strides');
      if (pair(ctx, 'dilationRate').some((d) => d !== 1))
        fail(r, 'dilated convs are not supported for training');
      const pads = windowPads(ctx, kernel, strides);
      // the kernel is fed in ONNX's layout (toConvWeight)
      const inputs = [x, r.vars.kernel, ...(r.vars.bias ? [r.vars.bias] : [])];
      const attrs: OnnxAttribute[] = [
        { name: 'kernel_shape', ints: kernel },
        { name: 'strides', ints: strides },
        { name: 'pads', ints: pads },
      ];
      const linear = r.config.activation === 'linear';
      if (!linear && r.config.activation !== 'relu')
        fail(r, 'only linear and relu convs are supported for training');
      const z = w.op('Conv', inputs, attrs, linear ? r.output : undefined);
      if (!linear) activation(w, r, r.layer.name, z, r.output);
      r.conv = { kernel, strides, pads };
      return;
    }
    case 'BatchNormalization': {
      if (r.config.axis !== -1 && r.config.axis !== 3)
        fail(r, 'only channel-axis BatchNormalization is supported');
      const channels = r.outputShape[3];
      const mean = w.op('ReduceMean', [x], reduceAxes(NHW, 1));
      const centred = w.op('Sub', [x, mean]);
      const variance = w.op('ReduceMean', [w.op('Mul', [centred, centred])], reduceAxes(NHW, 1));
      const epsilon = r.config.epsilon as number;
      const constant = (v: number) =>
        w.g.floats(w.fresh('const'), [channels], new Float32Array(channels).fill(v));
      // the batch's statistics through ONNX's (inference) BatchNormalization: one fused pass
      w.op(
        'BatchNormalization',
        [
          x,
          r.vars.gamma ?? constant(1),
          r.vars.beta ?? constant(0),
          w.op('Reshape', [mean, w.ints([-1])], undefined, `mean:${r.layer.name}`),
          w.op('Reshape', [variance, w.ints([-1])], undefined, `var:${r.layer.name}`),
        ],
        [{ name: 'epsilon', float: epsilon }],
        r.output,
      );
      const rstd = w.op('Reciprocal', [w.op('Sqrt', [w.op('Add', [variance, w.scalar(epsilon)])])]);
      Object.assign(r.saved, {
        centred,
        rstd,
        ...(r.vars.gamma ? { gamma: w.perChannel(r.vars.gamma) } : {}),
      });
      return;
    }
    case 'Activation':
      activation(w, r, r.layer.name, x, r.output);
      return;
    case 'Softmax':
      w.op('Softmax', [x], [{ name: 'axis', int: axis(ctx) }], r.output);
      return;
    case 'ZeroPadding2D': {
      checkChannelsLast(ctx);
      const { top, bottom, left, right } = sides(ctx, 'padding');
      w.op('Pad', [x, w.ints([0, 0, top, left, 0, 0, bottom, right])], undefined, r.output);
      return;
    }
    case 'Cropping2D': {
      checkChannelsLast(ctx);
      const { top, bottom, left, right } = sides(ctx, 'cropping');
      const [, h, wd] = r.inputShapes[0];
      w.op(
        'Slice',
        [x, w.ints([top, left]), w.ints([h - bottom, wd - right]), w.ints([2, 3])],
        undefined,
        r.output,
      );
      return;
    }
    case 'MaxPooling2D': {
      checkChannelsLast(ctx);
      const kernel = pair(ctx, 'poolSize');
      const strides = pair(ctx, 'strides');
      const indices = w.fresh('argmax');
      w.multi(
        'MaxPool',
        [x],
        [r.output, indices],
        [
          { name: 'kernel_shape', ints: kernel },
          { name: 'strides', ints: strides },
          { name: 'pads', ints: windowPads(ctx, kernel, strides) },
        ],
      );
      r.saved.indices = indices;
      return;
    }
    case 'Add':
      w.op('Sum', r.inputs, undefined, r.output);
      return;
    case 'Concatenate':
      w.op('Concat', r.inputs, [{ name: 'axis', int: axis(ctx) }], r.output);
      return;
    case 'PixelShuffle':
      w.op(
        'DepthToSpace',
        [x],
        [
          { name: 'blocksize', int: r.config.scale as number },
          { name: 'mode', string: 'CRD' },
        ],
        r.output,
      );
      return;
    case 'UpSampling2D': {
      checkChannelsLast(ctx);
      if (r.config.interpolation !== 'nearest') fail(r, "only 'nearest' upsampling is supported");
      const [sy, sx] = pair(ctx, 'size');
      w.op(
        'Resize',
        [x, '', w.g.floats(w.fresh('scales'), [4], Float32Array.of(1, 1, sy, sx))],
        [
          { name: 'mode', string: 'nearest' },
          { name: 'coordinate_transformation_mode', string: 'asymmetric' },
          { name: 'nearest_mode', string: 'floor' },
        ],
        r.output,
      );
      return;
    }
    default:
      fail(r, 'class not supported for training');
  }
}

/**
 * From this many output pixels per image on, a kernel gradient is one batched product per kernel offset (measured
 * 10-20 % faster at 32² and 64²); below, one GEMM over the whole batch (3× faster at 2²).
 */
const BATCHED_KERNEL_GRADIENT_PIXELS = 1024;

/**
 * A conv's kernel gradient as `kh · kw` slices `[1, in, out]` (tfjs' layout once stacked):
 * `dW[ky, kx, i, o] = Σ_{n,y,x} x_padded[n, i, y·s + ky, x·s + kx] · dz[n, o, y, x]`, one matrix product per kernel
 * offset over a strided slice of the padded input (measured in onnxruntime: 1.3-1.6× the forward conv's time, where
 * a conv over the batch takes 3×).
 */
function kernelGradients(w: Writer, x: string, dz: string, r: Recorded): string[] {
  const { kernel, strides, pads } = r.conv as NonNullable<Recorded['conv']>;
  const [, ho, wo, out] = r.outputShape;
  const [channels] = nchw(r.inputShapes[0]);
  const padded = pads.some((p) => p > 0)
    ? w.op('Pad', [x, w.ints([0, 0, pads[0], pads[1], 0, 0, pads[2], pads[3]])])
    : x;
  const whole = kernel[0] === 1 && kernel[1] === 1 && strides.every((st) => st === 1) && padded === x;
  const tap = (t: string, ky: number, kx: number) =>
    whole
      ? t
      : w.op('Slice', [
          t,
          w.ints([ky, kx]),
          w.ints([ky + (ho - 1) * strides[0] + 1, kx + (wo - 1) * strides[1] + 1]),
          w.ints([2, 3]),
          w.ints(strides),
        ]);
  const offsets = Array.from({ length: kernel[0] * kernel[1] }, (_, k) => [
    Math.floor(k / kernel[1]),
    k % kernel[1],
  ]);
  if (ho * wo >= BATCHED_KERNEL_GRADIENT_PIXELS) {
    // per image: [in, Ho·Wo] × [Ho·Wo, out], summed over the batch; the taps are sliced in NCHW as they are
    const dzColumns = w.op('Transpose', [w.op('Reshape', [dz, w.ints([0, out, -1])])], perm([0, 2, 1]));
    return offsets.map(([ky, kx]) => {
      const taps = w.op('Reshape', [tap(padded, ky, kx), w.ints([0, channels, -1])]);
      return w.op(
        'ReduceSum',
        [w.op('MatMul', [taps, dzColumns]), w.ints([0])],
        [{ name: 'keepdims', int: 1 }],
      );
    });
  }
  // channels first, [C, N, H, W]: a slice of it, flattened, is already a GEMM operand
  const channelsFirst = (t: string) => w.op('Transpose', [t], perm([1, 0, 2, 3]));
  const rows = (t: string, c: number) => w.op('Reshape', [t, w.ints([c, -1])]);
  const dzRows = rows(channelsFirst(dz), out); // [out, N·Ho·Wo]
  const xFirst = channelsFirst(padded);
  return offsets.map(([ky, kx]) => {
    const product = w.op('Gemm', [rows(tap(xFirst, ky, kx), channels), dzRows], [{ name: 'transB', int: 1 }]);
    return w.op('Unsqueeze', [product, w.ints([0])]); // [1, in, out]
  });
}

/** Emits the backward pass; returns the names of the requested gradients by variable. */
function emitBackward(
  w: Writer,
  records: Recorded[],
  output: string,
  trainable: ReadonlySet<string>,
): Map<string, string> {
  // which tensors lead to a trainable variable's use downstream: only they need a gradient
  const needs = new Set<string>();
  for (const r of records) {
    const own = Object.values(r.vars).some((v) => trainable.has(v));
    if (own || r.inputs.some((i) => needs.has(i))) needs.add(r.output);
  }
  const contributions = new Map<string, string[]>();
  const give = (tensor: string, grad: string) => {
    if (needs.has(tensor)) contributions.set(tensor, [...(contributions.get(tensor) ?? []), grad]);
  };
  const gradOf = (tensor: string): string | undefined => {
    const parts = contributions.get(tensor);
    if (parts === undefined) return undefined;
    return parts.length === 1 ? parts[0] : w.op('Sum', parts);
  };
  give(output, w.op('Transpose', ['dy'], perm([0, 3, 1, 2])));
  const out = new Map<string, string>();
  const wanted = (role: string, r: Recorded) => r.vars[role] !== undefined && trainable.has(r.vars[role]);

  for (const r of [...records].reverse()) {
    const g = gradOf(r.output);
    if (g === undefined) continue;
    const [x] = r.inputs;
    switch (r.className) {
      case 'Conv2D': {
        const act = String(r.config.activation);
        const dz = act === 'relu' ? w.reluBackward(g, r.output) : g;
        const { kernel, strides, pads } = r.conv as NonNullable<Recorded['conv']>;
        const [, h, wd] = r.inputShapes[0];
        const [, ho, wo] = r.outputShape;
        if (wanted('kernel', r)) {
          w.op(
            'Reshape',
            [
              w.op('Concat', kernelGradients(w, x, dz, r), [{ name: 'axis', int: 0 }]),
              w.ints([kernel[0], kernel[1], nchw(r.inputShapes[0])[0], nchw(r.outputShape)[0]]),
            ],
            undefined,
            `grad:${r.vars.kernel}`,
          );
          out.set(r.vars.kernel, `grad:${r.vars.kernel}`);
        }
        if (wanted('bias', r)) {
          w.op('ReduceSum', [dz, w.ints(NHW)], [{ name: 'keepdims', int: 0 }], `grad:${r.vars.bias}`);
          out.set(r.vars.bias, `grad:${r.vars.bias}`);
        }
        const flippedPads = [0, 1, 0, 1].map((d, k) => kernel[d] - 1 - pads[k]);
        if (needs.has(x) && strides.every((s) => s === 1) && flippedPads.every((p) => p >= 0)) {
          // a stride-1 conv's input gradient is a conv of dz with the kernel flipped in space (onnxruntime runs
          // it 1.3-2× faster than the equal ConvTranspose)
          give(
            x,
            w.op(
              'Conv',
              [dz, flippedInput(r.vars.kernel)],
              [
                { name: 'kernel_shape', ints: kernel },
                { name: 'pads', ints: flippedPads },
              ],
            ),
          );
        } else if (needs.has(x)) {
          const outputPadding = [
            h - ((ho - 1) * strides[0] - pads[0] - pads[2] + kernel[0]),
            wd - ((wo - 1) * strides[1] - pads[1] - pads[3] + kernel[1]),
          ];
          give(
            x,
            w.op(
              'ConvTranspose',
              [dz, r.vars.kernel],
              [
                { name: 'kernel_shape', ints: kernel },
                { name: 'strides', ints: strides },
                { name: 'pads', ints: pads },
                { name: 'output_padding', ints: outputPadding },
              ],
            ),
          );
        }
        break;
      }
      case 'BatchNormalization': {
        const { centred, rstd, gamma } = r.saved;
        const xhat = w.op('Mul', [centred, rstd]);
        if (wanted('beta', r)) {
          w.op('ReduceSum', [g, w.ints(NHW)], [{ name: 'keepdims', int: 0 }], `grad:${r.vars.beta}`);
          out.set(r.vars.beta, `grad:${r.vars.beta}`);
        }
        const gx = w.op('Mul', [g, xhat]);
        if (wanted('gamma', r)) {
          w.op('ReduceSum', [gx, w.ints(NHW)], [{ name: 'keepdims', int: 0 }], `grad:${r.vars.gamma}`);
          out.set(r.vars.gamma, `grad:${r.vars.gamma}`);
        }
        if (needs.has(x)) {
          // dx = γ / σ · (g − mean(g) − x̂ · mean(g · x̂))
          const meanG = w.op('ReduceMean', [g], reduceAxes(NHW, 1));
          const meanGx = w.op('ReduceMean', [gx], reduceAxes(NHW, 1));
          const inner = w.op('Sub', [w.op('Sub', [g, meanG]), w.op('Mul', [xhat, meanGx])]);
          const scale = gamma ? w.op('Mul', [gamma, rstd]) : rstd;
          give(x, w.op('Mul', [inner, scale]));
        }
        break;
      }
      case 'Activation':
      case 'Softmax': {
        const act = r.className === 'Softmax' ? 'softmax' : String(r.config.activation);
        if (act === 'relu') give(x, w.reluBackward(g, r.output));
        else if (act === 'linear') give(x, g);
        else {
          // softmax over channels: y ⊙ (g − Σ_c g ⊙ y)
          const dot = w.op(
            'ReduceSum',
            [w.op('Mul', [g, r.output]), w.ints([1])],
            [{ name: 'keepdims', int: 1 }],
          );
          give(x, w.op('Mul', [r.output, w.op('Sub', [g, dot])]));
        }
        break;
      }
      case 'ZeroPadding2D': {
        const { top, left } = sides(
          { ...r, inputShapes: r.inputShapes } as unknown as LayerContext,
          'padding',
        );
        const [, h, wd] = r.inputShapes[0];
        give(x, w.op('Slice', [g, w.ints([top, left]), w.ints([top + h, left + wd]), w.ints([2, 3])]));
        break;
      }
      case 'Cropping2D': {
        const { top, bottom, left, right } = sides(r as unknown as LayerContext, 'cropping');
        give(x, w.op('Pad', [g, w.ints([0, 0, top, left, 0, 0, bottom, right])]));
        break;
      }
      case 'MaxPooling2D': {
        // every output's gradient goes to the input pixel it took (overlapping windows add up)
        const shape = w.op('Shape', [x]);
        const flat = w.ints([-1]);
        const scattered = w.op(
          'ScatterElements',
          [
            w.op('Reshape', [w.op('ConstantOfShape', [shape]), flat]),
            w.op('Reshape', [r.saved.indices, flat]),
            w.op('Reshape', [g, flat]),
          ],
          [
            { name: 'axis', int: 0 },
            { name: 'reduction', string: 'add' },
          ],
        );
        give(x, w.op('Reshape', [scattered, shape]));
        break;
      }
      case 'Add':
        for (const i of r.inputs) give(i, g);
        break;
      case 'Concatenate': {
        const a = axis({ ...r } as unknown as LayerContext);
        const sizes = r.inputShapes.map((s) => s[[0, 3, 1, 2][a]]);
        const parts = r.inputs.map(() => w.fresh('split'));
        w.multi('Split', [g, w.ints(sizes)], parts, [{ name: 'axis', int: a }]);
        r.inputs.forEach((i, k) => {
          give(i, parts[k]);
        });
        break;
      }
      case 'PixelShuffle': {
        const s = r.config.scale as number;
        const [c, h, wd] = nchw(r.inputShapes[0]);
        const blocks = w.op('Reshape', [g, w.ints([0, c / (s * s), h, s, wd, s])]);
        const moved = w.op('Transpose', [blocks], perm([0, 1, 3, 5, 2, 4]));
        give(x, w.op('Reshape', [moved, w.ints([0, c, h, wd])]));
        break;
      }
      case 'UpSampling2D': {
        const [sy, sx] = pair(r as unknown as LayerContext, 'size');
        const [c, h, wd] = nchw(r.inputShapes[0]);
        const blocks = w.op('Reshape', [g, w.ints([0, c, h, sy, wd, sx])]);
        give(x, w.op('ReduceSum', [blocks, w.ints([3, 5])], [{ name: 'keepdims', int: 0 }]));
        break;
      }
      default:
        fail(r, 'class not supported for training');
    }
  }
  return out;
}

/**
 * The ONNX graphs of a training step of a tfjs U-Net (as {@link buildUNet} makes), for an ONNX runtime to run the
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
  const { records, output: last } = emitForward(fw, model);
  const bw = new Writer('b:');
  const grads = emitBackward(bw, records, last, new Set(trainable));
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
  const indices = new Set(records.flatMap((r) => (r.saved.indices ? [r.saved.indices] : [])));
  const savedInfo = saved.map((name) => ({ name, ...(indices.has(name) ? { type: 'int64' as const } : {}) }));
  const batchNorms: TrainingBatchNorm[] = records
    .filter((r) => r.className === 'BatchNormalization')
    .map((r) => ({
      layer: r.layer.name,
      movingMean: r.vars.moving_mean,
      movingVariance: r.vars.moving_variance,
      momentum: r.config.momentum as number,
      meanOutput: `mean:${r.layer.name}`,
      varianceOutput: `var:${r.layer.name}`,
    }));
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
