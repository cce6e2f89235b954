// Activation and Softmax in a training step, and the relu that a Conv2D applies: forward and backward.
import { axis, fail } from '../layer-config';
import type { GradientFlow, LayerRecord, TrainingRule } from './rule';
import type { Writer } from './writer';

/** Writes the layer's `activation` (relu, linear or softmax over the channels) from `x` to `out`. */
export function activate(w: Writer, r: LayerRecord, x: string, out: string): void {
  const act = String(r.config.activation);
  if (act === 'relu') w.op('Relu', [x], undefined, out);
  else if (act === 'linear') w.op('Identity', [x], undefined, out);
  else if (act === 'softmax') w.op('Softmax', [x], [{ name: 'axis', int: 1 }], out);
  else
    fail(r, `activation '${act}' is not supported for training (relu, linear, softmax) in ${r.layer.name}`);
}

/** `g` where `y > 0`, 0 elsewhere: ReLU's backward through its output `y`. */
export function reluBackward(w: Writer, g: string, y: string): string {
  return w.op('Where', [w.op('Greater', [y, w.scalar(0)]), g, w.scalar(0)]);
}

/** Gives the input of activation `act` its gradient, from the output's gradient `g`. */
function activationBackward(w: Writer, r: LayerRecord, act: string, g: string, flow: GradientFlow): void {
  const [x] = r.inputs;
  if (act === 'relu') flow.give(x, reluBackward(w, g, r.output));
  else if (act === 'linear') flow.give(x, g);
  else {
    // softmax over channels: y ⊙ (g − Σ_c g ⊙ y)
    const dot = w.op('ReduceSum', [w.op('Mul', [g, r.output]), w.ints([1])], [{ name: 'keepdims', int: 1 }]);
    flow.give(x, w.op('Mul', [r.output, w.op('Sub', [g, dot])]));
  }
}

/** An Activation layer (relu, linear, softmax) in a training step. */
export const activationTraining: TrainingRule = {
  forward(w, r) {
    activate(w, r, r.inputs[0], r.output);
  },
  backward(w, r, g, flow) {
    activationBackward(w, r, String(r.config.activation), g, flow);
  },
};

/** A Softmax layer in a training step (its backward takes the channels for the axis). */
export const softmaxTraining: TrainingRule = {
  forward(w, r) {
    w.op('Softmax', [r.inputs[0]], [{ name: 'axis', int: axis(r) }], r.output);
  },
  backward(w, r, g, flow) {
    activationBackward(w, r, 'softmax', g, flow);
  },
};
