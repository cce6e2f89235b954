import * as tfl from '@tensorflow/tfjs-layers';
import { toFloat16Bits } from '../files/float16';
import { convertModel } from './convert-model';
import { OnnxExportError } from './errors';
import { encodeModel, type OnnxGraph } from './onnx-proto';

/** The ONNX opset (default domain) of exported models: 17 (ONNX 1.12+, onnxruntime 1.12+, onnxruntime-web). */
export const ONNX_OPSET_VERSION = 17;
/** The ONNX IR version of exported models: 8, the one that goes with opset 17. */
export const ONNX_IR_VERSION = 8;

/** Options of {@link exportOnnx}. */
export interface ExportOnnxOptions {
  /**
   * Fold each BatchNormalization that alone reads a linear Conv2D into the conv's weight and bias (default
   * true); the others become ONNX `BatchNormalization` nodes.
   */
  foldBatchNorm?: boolean;
  /** The graph's name; default the tfjs model's name. */
  name?: string;
  /** Free text saved as the model's `doc_string` (e.g. how inputs must be normalized). */
  docString?: string;
  /**
   * How float weights are stored: `'float32'` (default), or `'float16'`, half the bytes: each weight is a float16
   * initializer followed by a `Cast` to float32 (onnxruntime folds the casts when it loads the model, so the graph
   * still computes in float32, from weights rounded to 11 significant bits).
   */
  weights?: 'float32' | 'float16';
}

/** The graph with every float32 initializer stored as float16 and cast back to float32 before any node reads it. */
function withFloat16Weights(graph: OnnxGraph): OnnxGraph {
  const casts: OnnxGraph['nodes'][number][] = [];
  const initializers = graph.initializers.map((t) => {
    if (!(t.data instanceof Float32Array)) return t;
    const stored = `${t.name}_float16`;
    casts.push({
      name: `${t.name}_cast`,
      opType: 'Cast',
      inputs: [stored],
      outputs: [t.name],
      attributes: [{ name: 'to', int: 1 }],
    });
    return { name: stored, dims: t.dims, data: toFloat16Bits(t.data) };
  });
  return { ...graph, initializers, nodes: [...casts, ...graph.nodes] };
}

/**
 * Exports a tfjs U-Net or ResNet encoder (`buildUNet`, `buildResNetEncoder`, or one loaded from their
 * saved files) to an ONNX model (opset {@link ONNX_OPSET_VERSION}, float32) that onnxruntime (node or web) runs.
 *
 * Inputs and outputs keep tfjs' layout and names, so the same arrays can be fed: each input is
 * `[N, h, w, c]` (NHWC, `N` dynamic, `h, w, c` the model's), each output `[N, h', w', c']` (e.g. the
 * U-Net's softmax `[N, h, w, classes]`). Inside, the graph is NCHW: a Transpose follows each input and
 * precedes each output. Convs get BatchNorm folded in (see {@link ExportOnnxOptions.foldBatchNorm}) and
 * explicit pads (a ZeroPadding2D read only by a conv becomes the conv's `pads`; TensorFlow's `same` padding,
 * with its odd extra pixel at the end, is written out). Weights are stored as float32 unless
 * {@link ExportOnnxOptions.weights} asks for float16. Two rewrites for
 * onnxruntime's CPU kernels, exact up to float rounding: a conv with at most 2×2 output pixels becomes one GEMM
 * over an explicit im2col, and a channel concatenation that a conv reads (the last cross: 96 decoder channels + the
 * image's 3) gets zero channels up to a multiple of 8, which the following convs, adds and ReLUs carry (zero weights)
 * and every other reader slices off (measured at 64²×16: 279 → 263 ms per batch).
 *
 * Supported layers: Conv2D (no groups; `linear`, `relu`, `sigmoid`, `tanh`, `softmax` activations),
 * BatchNormalization (channel axis), Activation (the same five), MaxPooling2D, ZeroPadding2D, Cropping2D,
 * UpSampling2D (nearest), `PixelShuffle` (ONNX `DepthToSpace`, CRD order), Add, Concatenate, Softmax.
 *
 * @returns the bytes of the `.onnx` file (an ONNX `ModelProto`).
 * @throws {@link OnnxExportError} for an unsupported layer or setting (naming the layer and its class), a
 *   tensor that is not `[batch, h, w, c]` of known size, or bad options.
 */
export function exportOnnx(model: tfl.LayersModel, options: ExportOnnxOptions = {}): Uint8Array {
  if (!(model instanceof tfl.LayersModel)) {
    throw new OnnxExportError(`model must be a tfjs LayersModel, got ${String(model)}`);
  }
  const { foldBatchNorm = true, name = model.name, docString, weights = 'float32' } = options;
  if (weights !== 'float32' && weights !== 'float16') {
    throw new OnnxExportError(`options.weights must be 'float32' or 'float16', got ${String(weights)}`);
  }
  if (typeof foldBatchNorm !== 'boolean') {
    throw new OnnxExportError(`options.foldBatchNorm must be a boolean, got ${String(foldBatchNorm)}`);
  }
  if (typeof name !== 'string' || (docString !== undefined && typeof docString !== 'string')) {
    throw new OnnxExportError('options.name and options.docString must be strings');
  }
  return encodeModel({
    irVersion: ONNX_IR_VERSION,
    opsetVersion: ONNX_OPSET_VERSION,
    producerName: '@myoseg/models',
    producerVersion: `tfjs-layers ${tfl.version_layers}`,
    docString,
    graph:
      weights === 'float16'
        ? withFloat16Weights(convertModel(model, name, foldBatchNorm))
        : convertModel(model, name, foldBatchNorm),
  });
}
