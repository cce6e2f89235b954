// One converter per tfjs layer class. Tensors inside the graph are NCHW; shapes in a context are the tfjs
// (NHWC) shapes of the layer's inputs, static but for the batch.
import type * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { OnnxExportError } from './errors';
import type { GraphBuilder } from './graph-builder';
import type { OnnxAttribute } from './onnx-proto';

type Layer = tfl.layers.Layer;

/** Zero padding of a 2D map, in pixels: `[top, left, bottom, right]` (ONNX `Conv`'s `pads` order). */
export type Pads = [number, number, number, number];

/** What a converter gets: the layer, its inputs' ONNX names and tfjs shapes, the name of its output. */
export interface LayerContext {
  layer: Layer;
  config: tf.serialization.ConfigDict;
  inputs: readonly string[];
  /** `[batch, h, w, c]` of each input (tfjs' order); `h`, `w`, `c` are known. */
  inputShapes: readonly (readonly number[])[];
  output: string;
  graph: GraphBuilder;
  /** Conv2D only: a ZeroPadding2D before it, folded into its `pads`. */
  fusedPads?: Pads;
  /** Conv2D only: a BatchNormalization after it, folded into its weight and bias. */
  fusedBatchNorm?: Layer;
  /**
   * Conv2D and Concatenate: the output is to hold this many channels, the layer's own followed by zeros (see
   * `convertModel`'s channel padding); a Conv2D's input may hold such zero channels too ({@link inputChannels}).
   */
  outputChannels?: number;
  /** Conv2D: the channels its input holds in the graph, when zero channels follow the layer's own. */
  inputChannels?: number;
}

/** The ONNX axis of a tfjs (NHWC) axis of a rank-4 tensor. */
const NCHW_AXIS = [0, 2, 3, 1];

/** The ONNX ops of tfjs' activations (by their serialized names). */
const ACTIVATIONS: Record<string, { op: string; attributes?: OnnxAttribute[] }> = {
  linear: { op: 'Identity' },
  relu: { op: 'Relu' },
  sigmoid: { op: 'Sigmoid' },
  tanh: { op: 'Tanh' },
  softmax: { op: 'Softmax', attributes: [{ name: 'axis', int: 1 }] },
};

export function fail(ctx: { layer: Layer }, message: string): never {
  throw new OnnxExportError(message, { name: ctx.layer.name, className: ctx.layer.getClassName() });
}

const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** A config entry that is one number or two (`kernelSize`, `strides`, `size`), as `[y, x]`. */
export function pair(ctx: LayerContext, key: string): [number, number] {
  const v = ctx.config[key];
  if (isNumber(v)) return [v, v];
  if (Array.isArray(v) && v.length === 2 && v.every(isNumber)) return [v[0], v[1]];
  return fail(ctx, `config.${key} must be a number or two, got ${JSON.stringify(v)}`);
}

/** A `[[top, bottom], [left, right]]` config entry (ZeroPadding2D's `padding`, Cropping2D's `cropping`). */
export function sides(
  ctx: LayerContext,
  key: string,
): { top: number; bottom: number; left: number; right: number } {
  const v = ctx.config[key];
  const ok = Array.isArray(v) && v.length === 2 && v.every((p) => Array.isArray(p) && p.length === 2);
  const flat = ok ? (v as number[][]).flat() : [];
  if (!flat.every((n) => Number.isInteger(n) && n >= 0) || flat.length !== 4) {
    return fail(ctx, `config.${key} must be [[top, bottom], [left, right]], got ${JSON.stringify(v)}`);
  }
  return { top: flat[0], bottom: flat[1], left: flat[2], right: flat[3] };
}

/** The ONNX axis of the layer's `axis` config (a tfjs axis of a rank-4 tensor, negative from the end). */
export function axis(ctx: LayerContext): number {
  const a = ctx.config.axis;
  if (!Number.isInteger(a) || (a as number) < -4 || (a as number) > 3) {
    return fail(ctx, `config.axis must be an axis of a rank-4 tensor, got ${JSON.stringify(a)}`);
  }
  return NCHW_AXIS[((a as number) + 4) % 4];
}

export function checkChannelsLast(ctx: LayerContext): void {
  const format = ctx.config.dataFormat;
  if (format !== undefined && format !== 'channelsLast') {
    fail(ctx, `only dataFormat 'channelsLast' is supported, got '${String(format)}'`);
  }
}

/** TensorFlow's `same` padding along one axis of size `n`: the odd extra pixel goes at the end. */
function samePadding(n: number, kernel: number, stride: number, dilation: number): [number, number] {
  const total = Math.max((Math.ceil(n / stride) - 1) * stride + (kernel - 1) * dilation + 1 - n, 0);
  return [Math.floor(total / 2), total - Math.floor(total / 2)];
}

/** `valid` (no padding) or TensorFlow's `same` padding of a window op, as ONNX `pads`. */
export function windowPads(
  ctx: LayerContext,
  kernel: [number, number],
  stride: [number, number],
  dilation = [1, 1],
): Pads {
  const padding = ctx.config.padding;
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding !== 'same') return fail(ctx, `padding must be 'valid' or 'same', got '${String(padding)}'`);
  const [, h, w] = ctx.inputShapes[0];
  const [top, bottom] = samePadding(h, kernel[0], stride[0], dilation[0]);
  const [left, right] = samePadding(w, kernel[1], stride[1], dilation[1]);
  return [top, left, bottom, right];
}

/** Adds node `name`, the layer's `activation` from `input` to `output` (an Identity for `linear`). */
function activate(ctx: LayerContext, name: string, input: string, output: string): void {
  const key = String(ctx.config.activation);
  const act = Object.hasOwn(ACTIVATIONS, key) ? ACTIVATIONS[key] : undefined;
  if (act === undefined) {
    fail(ctx, `activation '${key}' is not supported (${Object.keys(ACTIVATIONS).join(', ')})`);
  }
  ctx.graph.node(name, act.op, [input], output, act.attributes);
}

/** BatchNormalization's inference parameters, with γ = 1 and β = 0 where the layer has none. */
function batchNormParams(layer: Layer): {
  gamma: Float32Array;
  beta: Float32Array;
  mean: Float32Array;
  variance: Float32Array;
  epsilon: number;
} {
  const config = layer.getConfig();
  const ctx = { layer };
  if (config.axis !== -1 && config.axis !== 3) {
    fail(ctx, `only the channel axis (-1 or 3) is supported, got ${JSON.stringify(config.axis)}`);
  }
  const values = layer.getWeights().map((t) => t.dataSync() as Float32Array);
  const n = values[values.length - 1].length;
  const gamma = config.scale ? (values.shift() as Float32Array) : new Float32Array(n).fill(1);
  const beta = config.center ? (values.shift() as Float32Array) : new Float32Array(n);
  const [mean, variance] = values;
  return { gamma, beta, mean, variance, epsilon: config.epsilon as number };
}

/**
 * The ONNX `[out, in, kh, kw]` weight and `[out]` bias of a tfjs `[kh, kw, in, out]` conv, with a following
 * BatchNormalization folded in: `w · γ / √(σ² + ε)` and `(b − μ) · γ / √(σ² + ε) + β` per output channel.
 */
function convWeights(ctx: LayerContext): { weight: Float32Array; bias: Float32Array | null; dims: number[] } {
  const [kernel, bias = null] = ctx.layer.getWeights() as tf.Tensor[];
  const [kh, kw, cin, cout] = kernel.shape;
  const k = kernel.dataSync() as Float32Array;
  const b = bias ? (bias.dataSync() as Float32Array) : null;
  const scale = new Float64Array(cout).fill(1);
  let foldedBias = b;
  if (ctx.fusedBatchNorm) {
    const bn = batchNormParams(ctx.fusedBatchNorm);
    foldedBias = new Float32Array(cout);
    for (let o = 0; o < cout; o++) {
      scale[o] = bn.gamma[o] / Math.sqrt(bn.variance[o] + bn.epsilon);
      foldedBias[o] = ((b ? b[o] : 0) - bn.mean[o]) * scale[o] + bn.beta[o];
    }
  }
  // zero weights for the zero channels the input holds past its own, zero rows (and biases) for output channels
  // past the layer's own: those outputs stay 0 through relu
  const inputs = ctx.inputChannels ?? cin;
  const outputs = ctx.outputChannels ?? cout;
  const weight = new Float32Array(outputs * inputs * kh * kw);
  for (let y = 0; y < kh; y++)
    for (let x = 0; x < kw; x++)
      for (let i = 0; i < cin; i++)
        for (let o = 0; o < cout; o++) {
          weight[((o * inputs + i) * kh + y) * kw + x] = k[((y * kw + x) * cin + i) * cout + o] * scale[o];
        }
  let paddedBias = foldedBias;
  if (foldedBias && outputs > cout) {
    paddedBias = new Float32Array(outputs);
    paddedBias.set(foldedBias);
  }
  return { weight, bias: paddedBias, dims: [outputs, inputs, kh, kw] };
}

/**
 * Convs with at most this many output pixels per image run as one GEMM over an explicit im2col: onnxruntime's
 * NCHWc convolution spends most of its time on the borders of a 2×2 map (measured: four 512-channel 3×3 convs at
 * 2×2, batch 16: 11.1 ms as Conv, 6.0 ms as GEMM; at 4×4 the Conv wins, 4.8 vs 5.8 ms).
 */
const GEMM_CONV_PIXELS = 4;

/**
 * A conv as `im2col(x) · W`: NHWC, the padded input's `kh · kw` strided slices concatenated along channels, one
 * `Gemm` with the weight as `[kh · kw · in, out]` (tfjs' own kernel layout) and the bias, the activation, back to
 * NCHW, written to `ctx.output`.
 */
function gemmConv2d(
  ctx: LayerContext,
  strides: number[],
  pads: number[],
  conv: { weight: Float32Array; bias: Float32Array | null; dims: number[] },
  outSize: number[],
): void {
  const { graph } = ctx;
  const name = ctx.layer.name;
  const [cout, cin, kh, kw] = conv.dims;
  const ints = (suffix: string, values: number[]) => graph.int64s(`${name}:const.${suffix}`, values);
  const nhwc = graph.node(`${name}:nhwc`, 'Transpose', [ctx.inputs[0]], `${name}:nhwc`, [
    { name: 'perm', ints: [0, 2, 3, 1] },
  ]);
  const [top, left, bottom, right] = pads;
  const padded = pads.some((p) => p > 0)
    ? graph.node(
        `${name}:pad`,
        'Pad',
        [nhwc, ints('pads', [0, top, left, 0, 0, bottom, right, 0])],
        `${name}:padded`,
      )
    : nhwc;
  const axes = ints('axes', [1, 2]);
  const steps = ints('steps', strides);
  const taps: string[] = [];
  for (let ky = 0; ky < kh; ky++) {
    for (let kx = 0; kx < kw; kx++) {
      const ends = [ky + (outSize[0] - 1) * strides[0] + 1, kx + (outSize[1] - 1) * strides[1] + 1];
      taps.push(
        graph.node(
          `${name}:tap${ky}.${kx}`,
          'Slice',
          [padded, ints(`starts${ky}.${kx}`, [ky, kx]), ints(`ends${ky}.${kx}`, ends), axes, steps],
          `${name}:tap${ky}.${kx}`,
        ),
      );
    }
  }
  const columns =
    taps.length === 1
      ? taps[0]
      : graph.node(`${name}:im2col`, 'Concat', taps, `${name}:im2col`, [{ name: 'axis', int: 3 }]);
  const rows = graph.node(
    `${name}:rows`,
    'Reshape',
    [columns, ints('rows', [-1, kh * kw * cin])],
    `${name}:rows`,
  );
  // [kh · kw · in, out] from ONNX's [out, in, kh, kw]
  const matrix = new Float32Array(conv.weight.length);
  for (let o = 0; o < cout; o++)
    for (let i = 0; i < cin; i++)
      for (let t = 0; t < kh * kw; t++)
        matrix[(t * cin + i) * cout + o] = conv.weight[(o * cin + i) * kh * kw + t];
  const inputs = [rows, graph.floats(`${name}.weight`, [kh * kw * cin, cout], matrix)];
  if (conv.bias) inputs.push(graph.floats(`${name}.bias`, [cout], conv.bias));
  const product = graph.node(`${name}`, 'Gemm', inputs, `${name}:gemm`);
  const activated = ctx.config.activation === 'linear' ? product : `${name}:activated`;
  if (activated !== product) activate(ctx, `${name}:activation`, product, activated);
  const image = graph.node(
    `${name}:image`,
    'Reshape',
    [activated, ints('image', [-1, outSize[0], outSize[1], cout])],
    `${name}:image`,
  );
  graph.node(`${name}:nchw`, 'Transpose', [image], ctx.output, [{ name: 'perm', ints: [0, 3, 1, 2] }]);
}

function conv2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const kernel = pair(ctx, 'kernelSize');
  const strides = pair(ctx, 'strides');
  const dilations = pair(ctx, 'dilationRate');
  const same = windowPads(ctx, kernel, strides, dilations);
  const fused = ctx.fusedPads ?? [0, 0, 0, 0];
  const pads = same.map((p, i) => p + fused[i]);
  // the layer's input is already padded by any fused ZeroPadding2D: only its own padding adds to it
  const [, h, w] = ctx.inputShapes[0];
  const outSize = [
    Math.floor((h + same[0] + same[2] - dilations[0] * (kernel[0] - 1) - 1) / strides[0]) + 1,
    Math.floor((w + same[1] + same[3] - dilations[1] * (kernel[1] - 1) - 1) / strides[1]) + 1,
  ];
  const { weight, bias, dims } = convWeights(ctx);
  if (outSize[0] * outSize[1] <= GEMM_CONV_PIXELS && dilations.every((d) => d === 1)) {
    gemmConv2d(ctx, strides, pads, { weight, bias, dims }, outSize);
    return;
  }
  const name = ctx.layer.name;
  const inputs = [ctx.inputs[0], ctx.graph.floats(`${name}.weight`, dims, weight)];
  if (bias) inputs.push(ctx.graph.floats(`${name}.bias`, [dims[0]], bias));
  const linear = ctx.config.activation === 'linear';
  const convOut = ctx.graph.node(name, 'Conv', inputs, linear ? ctx.output : `${name}:conv`, [
    { name: 'kernel_shape', ints: kernel },
    { name: 'strides', ints: strides },
    { name: 'dilations', ints: dilations },
    { name: 'pads', ints: pads },
  ]);
  if (!linear) activate(ctx, `${name}:activation`, convOut, ctx.output);
}

function batchNormalization(ctx: LayerContext): void {
  const { gamma, beta, mean, variance, epsilon } = batchNormParams(ctx.layer);
  const name = ctx.layer.name;
  const c = [gamma.length];
  const params = [
    ctx.graph.floats(`${name}.weight`, c, gamma),
    ctx.graph.floats(`${name}.bias`, c, beta),
    ctx.graph.floats(`${name}.running_mean`, c, mean),
    ctx.graph.floats(`${name}.running_var`, c, variance),
  ];
  ctx.graph.node(name, 'BatchNormalization', [ctx.inputs[0], ...params], ctx.output, [
    { name: 'epsilon', float: epsilon },
  ]);
}

function maxPooling2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const kernel = pair(ctx, 'poolSize');
  const strides = pair(ctx, 'strides');
  // ONNX MaxPool ignores padded cells, as TensorFlow's `same` max-pool does
  ctx.graph.node(ctx.layer.name, 'MaxPool', [ctx.inputs[0]], ctx.output, [
    { name: 'kernel_shape', ints: kernel },
    { name: 'strides', ints: strides },
    { name: 'pads', ints: windowPads(ctx, kernel, strides) },
  ]);
}

function zeroPadding2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const { top, bottom, left, right } = sides(ctx, 'padding');
  const pads = ctx.graph.int64s(`${ctx.layer.name}.pads`, [0, 0, top, left, 0, 0, bottom, right]);
  ctx.graph.node(ctx.layer.name, 'Pad', [ctx.inputs[0], pads], ctx.output);
}

function cropping2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  const { top, bottom, left, right } = sides(ctx, 'cropping');
  const [, h, w] = ctx.inputShapes[0];
  const name = ctx.layer.name;
  const bounds = [
    ctx.graph.int64s(`${name}.starts`, [top, left]),
    ctx.graph.int64s(`${name}.ends`, [h - bottom, w - right]),
    ctx.graph.int64s(`${name}.axes`, [2, 3]),
  ];
  ctx.graph.node(name, 'Slice', [ctx.inputs[0], ...bounds], ctx.output);
}

function upSampling2d(ctx: LayerContext): void {
  checkChannelsLast(ctx);
  if (ctx.config.interpolation !== 'nearest') {
    fail(ctx, `only 'nearest' interpolation is supported, got '${String(ctx.config.interpolation)}'`);
  }
  const [sy, sx] = pair(ctx, 'size');
  const scales = ctx.graph.floats(`${ctx.layer.name}.scales`, [4], Float32Array.of(1, 1, sy, sx));
  // tfjs' nearest upsampling reads source pixel ⌊i / s⌋: ONNX's asymmetric coordinates, rounded down
  ctx.graph.node(ctx.layer.name, 'Resize', [ctx.inputs[0], '', scales], ctx.output, [
    { name: 'mode', string: 'nearest' },
    { name: 'coordinate_transformation_mode', string: 'asymmetric' },
    { name: 'nearest_mode', string: 'floor' },
  ]);
}

function pixelShuffle(ctx: LayerContext): void {
  const scale = ctx.config.scale;
  if (!Number.isInteger(scale) || (scale as number) < 1) fail(ctx, `config.scale must be an integer ≥ 1`);
  // PixelShuffle reads input channel k·s² + i·s + j: ONNX's column-row-depth (CRD) order, PyTorch's
  ctx.graph.node(ctx.layer.name, 'DepthToSpace', [ctx.inputs[0]], ctx.output, [
    { name: 'blocksize', int: scale as number },
    { name: 'mode', string: 'CRD' },
  ]);
}

function add(ctx: LayerContext): void {
  const [first, ...rest] = ctx.inputs;
  const name = ctx.layer.name;
  rest.reduce((sum, x, i) => {
    const last = i === rest.length - 1;
    return ctx.graph.node(last ? name : `${name}:${i}`, 'Add', [sum, x], last ? ctx.output : `${name}:${i}`);
  }, first);
}

function concatenate(ctx: LayerContext): void {
  const inputs = [...ctx.inputs];
  const own = ctx.inputShapes.reduce((sum, s) => sum + s[3], 0);
  const extra = (ctx.outputChannels ?? own) - own;
  if (extra > 0) {
    // zero channels after the last input's own (only channel concatenations are padded)
    const name = `${ctx.layer.name}:zeros`;
    const pads = ctx.graph.int64s(`${name}.pads`, [0, 0, 0, 0, 0, extra, 0, 0]);
    inputs[inputs.length - 1] = ctx.graph.node(name, 'Pad', [inputs[inputs.length - 1], pads], name);
  }
  ctx.graph.node(ctx.layer.name, 'Concat', inputs, ctx.output, [{ name: 'axis', int: axis(ctx) }]);
}

function softmax(ctx: LayerContext): void {
  ctx.graph.node(ctx.layer.name, 'Softmax', [ctx.inputs[0]], ctx.output, [{ name: 'axis', int: axis(ctx) }]);
}

function activation(ctx: LayerContext): void {
  activate(ctx, ctx.layer.name, ctx.inputs[0], ctx.output);
}

/** The converters, by tfjs class name: every layer that `buildUNet` and `buildResNetEncoder` produce. */
export const CONVERTERS: Readonly<Record<string, (ctx: LayerContext) => void>> = {
  Activation: activation,
  Add: add,
  BatchNormalization: batchNormalization,
  Concatenate: concatenate,
  Conv2D: conv2d,
  Cropping2D: cropping2d,
  MaxPooling2D: maxPooling2d,
  PixelShuffle: pixelShuffle,
  Softmax: softmax,
  UpSampling2D: upSampling2d,
  ZeroPadding2D: zeroPadding2d,
};
