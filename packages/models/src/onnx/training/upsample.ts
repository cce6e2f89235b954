import { checkChannelsLast, fail, pair } from '../layer-config';
import type { TrainingRule } from './rule';
import { nchw } from './writer';

/** An UpSampling2D layer (nearest) in a training step: `Resize` forward, the sum over each block backward. */
export const upsampleTraining: TrainingRule = {
  forward(w, r) {
    checkChannelsLast(r);
    if (r.config.interpolation !== 'nearest') fail(r, "only 'nearest' upsampling is supported");
    const [sy, sx] = pair(r, 'size');
    w.op(
      'Resize',
      [r.inputs[0], '', w.g.floats(w.fresh('scales'), [4], Float32Array.of(1, 1, sy, sx))],
      [
        { name: 'mode', string: 'nearest' },
        { name: 'coordinate_transformation_mode', string: 'asymmetric' },
        { name: 'nearest_mode', string: 'floor' },
      ],
      r.output,
    );
  },
  backward(w, r, g, flow) {
    const [sy, sx] = pair(r, 'size');
    const [c, h, wd] = nchw(r.inputShapes[0]);
    const blocks = w.op('Reshape', [g, w.ints([0, c, h, sy, wd, sx])]);
    flow.give(r.inputs[0], w.op('ReduceSum', [blocks, w.ints([3, 5])], [{ name: 'keepdims', int: 0 }]));
  },
};
