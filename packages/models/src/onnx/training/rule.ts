// What a training rule gets and writes: the record of a layer's forward emission, and the gradient flow of the
// backward pass.
import type { LayerCall } from '../layer-config';
import type { Writer } from './writer';

/** A conv's window geometry, in pixels: `kernel` and `strides` as `[y, x]`, `pads` as ONNX's `pads`. */
export interface ConvGeometry {
  kernel: number[];
  strides: number[];
  pads: number[];
}

/** A layer's forward emission: what its backward needs. */
export interface LayerRecord extends LayerCall {
  /** The layer's tfjs class name. */
  className: string;
  /** NCHW names of the inputs. */
  inputs: string[];
  /** NCHW name of the output. */
  output: string;
  /** tfjs (NHWC) shape of the output. */
  outputShape: number[];
  /** Intermediate names the backward reads. */
  saved: Record<string, string>;
  /** Conv2D only: its geometry (its weight is the input `vars.kernel`, in ONNX's layout). */
  conv?: ConvGeometry;
  /** tfjs variable names of the layer's weights, by role (`kernel`, `bias`, `gamma`, `beta`, `moving_mean`…). */
  vars: Record<string, string>;
}

/** Where a backward rule sends gradients: to its inputs, and to its layer's trainable weights. */
export interface GradientFlow {
  /** Whether `tensor` needs a gradient (it leads to a trainable weight's use downstream). */
  needs(tensor: string): boolean;
  /** Adds `grad` to the gradient of `tensor` (dropped where `tensor` needs none). */
  give(tensor: string, grad: string): void;
  /**
   * Where the layer's weight of `role` is to be differentiated, has `write` write its gradient (tfjs' layout) to
   * the name it is given, an output of the backward graph.
   */
  weight(role: string, write: (output: string) => void): void;
}

/** A layer kind's forward (in training mode) and backward emission. */
export interface TrainingRule {
  /** Writes the layer's output `r.output` from `r.inputs`, and records in `r` what the backward reads. */
  forward(w: Writer, r: LayerRecord): void;
  /** Writes the gradients of the layer's inputs and weights from `g`, the gradient of its output (NCHW). */
  backward(w: Writer, r: LayerRecord, g: string, flow: GradientFlow): void;
}
