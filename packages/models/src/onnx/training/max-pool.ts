import { checkChannelsLast, pair, windowPads } from '../layer-config';
import type { TrainingRule } from './rule';

/**
 * A MaxPooling2D layer in a training step: the forward also outputs the argmax of each window (`saved.indices`,
 * int64), to which the backward scatters the output's gradient.
 */
export const maxPoolTraining: TrainingRule = {
  forward(w, r) {
    checkChannelsLast(r);
    const kernel = pair(r, 'poolSize');
    const strides = pair(r, 'strides');
    const indices = w.fresh('argmax');
    w.multi(
      'MaxPool',
      [r.inputs[0]],
      [r.output, indices],
      [
        { name: 'kernel_shape', ints: kernel },
        { name: 'strides', ints: strides },
        { name: 'pads', ints: windowPads(r, kernel, strides) },
      ],
    );
    r.saved.indices = indices;
  },
  backward(w, r, g, flow) {
    const [x] = r.inputs;
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
    flow.give(x, w.op('Reshape', [scattered, shape]));
  },
};
