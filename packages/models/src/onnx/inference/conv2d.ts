// Inference converter of Conv2D: an ONNX `Conv` (or, on tiny maps, one GEMM over an im2col) with a following
// BatchNormalization and the channel padding folded into its weights.
import type * as tf from '@tensorflow/tfjs-core';
import { checkChannelsLast, pair, windowPads } from '../layer-config';
import { activate } from './activation';
import { batchNormParams } from './batch-norm';
import type { LayerContext } from './layer-context';

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

/** A Conv2D layer (no groups), with what the context folds into it. */
export function conv2d(ctx: LayerContext): void {
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
