import { axis } from '../layer-config';
import type { TrainingRule } from './rule';

/** A Concatenate layer in a training step: the output's gradient is split back into the inputs' parts. */
export const concatenateTraining: TrainingRule = {
  forward(w, r) {
    w.op('Concat', r.inputs, [{ name: 'axis', int: axis(r) }], r.output);
  },
  backward(w, r, g, flow) {
    const a = axis(r);
    const sizes = r.inputShapes.map((s) => s[[0, 3, 1, 2][a]]);
    const parts = r.inputs.map(() => w.fresh('split'));
    w.multi('Split', [g, w.ints(sizes)], parts, [{ name: 'axis', int: a }]);
    r.inputs.forEach((i, k) => {
      flow.give(i, parts[k]);
    });
  },
};
