import { checkChannelsLast, sides } from '../layer-config';
import type { TrainingRule } from './rule';

/** A ZeroPadding2D layer in a training step: a `Pad` forward, a `Slice` of the gradient backward. */
export const zeroPaddingTraining: TrainingRule = {
  forward(w, r) {
    checkChannelsLast(r);
    const { top, bottom, left, right } = sides(r, 'padding');
    w.op('Pad', [r.inputs[0], w.ints([0, 0, top, left, 0, 0, bottom, right])], undefined, r.output);
  },
  backward(w, r, g, flow) {
    const { top, left } = sides(r, 'padding');
    const [, h, wd] = r.inputShapes[0];
    flow.give(
      r.inputs[0],
      w.op('Slice', [g, w.ints([top, left]), w.ints([top + h, left + wd]), w.ints([2, 3])]),
    );
  },
};
