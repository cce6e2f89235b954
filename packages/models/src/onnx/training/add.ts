import type { TrainingRule } from './rule';

/** An Add layer in a training step: one `Sum`; each input gets the output's gradient. */
export const addTraining: TrainingRule = {
  forward(w, r) {
    w.op('Sum', r.inputs, undefined, r.output);
  },
  backward(_w, r, g, flow) {
    for (const i of r.inputs) flow.give(i, g);
  },
};
