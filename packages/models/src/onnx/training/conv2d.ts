// Conv2D (linear or relu) in a training step: the conv forward; the kernel, bias and input gradients backward.
import { checkChannelsLast, fail, pair, windowPads } from '../layer-config';
import type { OnnxAttribute } from '../onnx-proto';
import { activate, reluBackward } from './activation';
import type { ConvGeometry, LayerRecord, TrainingRule } from './rule';
import { nchw, perm, type Writer } from './writer';

/** The backward graph's input of a conv kernel flipped for its input gradient (`toConvWeight`'s `flipped`). */
export const flippedInput = (variable: string) => `flip:${variable}`;

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
function kernelGradients(w: Writer, x: string, dz: string, r: LayerRecord): string[] {
  const { kernel, strides, pads } = r.conv as ConvGeometry;
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

/**
 * A Conv2D layer (linear or relu, no dilation) in a training step. Its kernel is the forward graph's input in
 * ONNX's layout (`toConvWeight`); the backward reads it flipped ({@link flippedInput}) for a stride-1 conv's input
 * gradient, as it is for a strided one's (a ConvTranspose).
 */
export const conv2dTraining: TrainingRule = {
  forward(w, r) {
    checkChannelsLast(r);
    const kernel = pair(r, 'kernelSize');
    const strides = pair(r, 'strides');
    if (pair(r, 'dilationRate').some((d) => d !== 1)) fail(r, 'dilated convs are not supported for training');
    const pads = windowPads(r, kernel, strides);
    // the kernel is fed in ONNX's layout (toConvWeight)
    const inputs = [r.inputs[0], r.vars.kernel, ...(r.vars.bias ? [r.vars.bias] : [])];
    const attrs: OnnxAttribute[] = [
      { name: 'kernel_shape', ints: kernel },
      { name: 'strides', ints: strides },
      { name: 'pads', ints: pads },
    ];
    const linear = r.config.activation === 'linear';
    if (!linear && r.config.activation !== 'relu')
      fail(r, 'only linear and relu convs are supported for training');
    const z = w.op('Conv', inputs, attrs, linear ? r.output : undefined);
    if (!linear) activate(w, r, z, r.output);
    r.conv = { kernel, strides, pads };
  },
  backward(w, r, g, flow) {
    const [x] = r.inputs;
    const dz = r.config.activation === 'relu' ? reluBackward(w, g, r.output) : g;
    const { kernel, strides, pads } = r.conv as ConvGeometry;
    const [, h, wd] = r.inputShapes[0];
    const [, ho, wo] = r.outputShape;
    flow.weight('kernel', (output) =>
      w.op(
        'Reshape',
        [
          w.op('Concat', kernelGradients(w, x, dz, r), [{ name: 'axis', int: 0 }]),
          w.ints([kernel[0], kernel[1], nchw(r.inputShapes[0])[0], nchw(r.outputShape)[0]]),
        ],
        undefined,
        output,
      ),
    );
    flow.weight('bias', (output) => w.channelSums(dz, output));
    const flippedPads = [0, 1, 0, 1].map((d, k) => kernel[d] - 1 - pads[k]);
    if (flow.needs(x) && strides.every((s) => s === 1) && flippedPads.every((p) => p >= 0)) {
      // a stride-1 conv's input gradient is a conv of dz with the kernel flipped in space (onnxruntime runs
      // it 1.3-2× faster than the equal ConvTranspose)
      flow.give(
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
    } else if (flow.needs(x)) {
      const outputPadding = [
        h - ((ho - 1) * strides[0] - pads[0] - pads[2] + kernel[0]),
        wd - ((wo - 1) * strides[1] - pads[1] - pads[3] + kernel[1]),
      ];
      flow.give(
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
  },
};
