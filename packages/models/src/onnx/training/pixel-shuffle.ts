import type { TrainingRule } from './rule';
import { nchw, perm } from './writer';

/** A PixelShuffle layer in a training step: `DepthToSpace` (CRD) forward, its inverse reshuffle backward. */
export const pixelShuffleTraining: TrainingRule = {
  forward(w, r) {
    w.op(
      'DepthToSpace',
      [r.inputs[0]],
      [
        { name: 'blocksize', int: r.config.scale as number },
        { name: 'mode', string: 'CRD' },
      ],
      r.output,
    );
  },
  backward(w, r, g, flow) {
    const s = r.config.scale as number;
    const [c, h, wd] = nchw(r.inputShapes[0]);
    const blocks = w.op('Reshape', [g, w.ints([0, c / (s * s), h, s, wd, s])]);
    const moved = w.op('Transpose', [blocks], perm([0, 1, 3, 5, 2, 4]));
    flow.give(r.inputs[0], w.op('Reshape', [moved, w.ints([0, c, h, wd])]));
  },
};
