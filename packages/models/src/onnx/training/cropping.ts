import { checkChannelsLast, sides } from '../layer-config';
import type { TrainingRule } from './rule';

/** A Cropping2D layer in a training step: a `Slice` forward, a zero `Pad` of the gradient backward. */
export const croppingTraining: TrainingRule = {
  forward(w, r) {
    checkChannelsLast(r);
    const { top, bottom, left, right } = sides(r, 'cropping');
    const [, h, wd] = r.inputShapes[0];
    w.op(
      'Slice',
      [r.inputs[0], w.ints([top, left]), w.ints([h - bottom, wd - right]), w.ints([2, 3])],
      undefined,
      r.output,
    );
  },
  backward(w, r, g, flow) {
    const { top, bottom, left, right } = sides(r, 'cropping');
    flow.give(r.inputs[0], w.op('Pad', [g, w.ints([0, 0, top, left, 0, 0, bottom, right])]));
  },
};
