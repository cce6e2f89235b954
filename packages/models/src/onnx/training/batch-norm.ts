// BatchNormalization in a training step: normalization with the batch's statistics forward, and its backward.
import { fail } from '../layer-config';
import type { TrainingRule } from './rule';
import { NHW, reduceAxes } from './writer';

/** The forward graph's outputs of a BatchNormalization's batch mean and (biased) variance, `[C]` each. */
export const batchStatistics = (layer: string) => ({ mean: `mean:${layer}`, variance: `var:${layer}` });

/**
 * A BatchNormalization layer (channel axis) in a training step: the forward normalizes with the batch's mean and
 * variance and outputs them ({@link batchStatistics}) for the running-statistics update; it saves the centred
 * input, `1 / σ` and γ for the backward.
 */
export const batchNormTraining: TrainingRule = {
  forward(w, r) {
    if (r.config.axis !== -1 && r.config.axis !== 3)
      fail(r, 'only channel-axis BatchNormalization is supported');
    const [x] = r.inputs;
    const channels = r.outputShape[3];
    const mean = w.op('ReduceMean', [x], reduceAxes(NHW, 1));
    const centred = w.op('Sub', [x, mean]);
    const variance = w.op('ReduceMean', [w.op('Mul', [centred, centred])], reduceAxes(NHW, 1));
    const epsilon = r.config.epsilon as number;
    const constant = (v: number) =>
      w.g.floats(w.fresh('const'), [channels], new Float32Array(channels).fill(v));
    const statistics = batchStatistics(r.layer.name);
    // the batch's statistics through ONNX's (inference) BatchNormalization: one fused pass
    w.op(
      'BatchNormalization',
      [
        x,
        r.vars.gamma ?? constant(1),
        r.vars.beta ?? constant(0),
        w.op('Reshape', [mean, w.ints([-1])], undefined, statistics.mean),
        w.op('Reshape', [variance, w.ints([-1])], undefined, statistics.variance),
      ],
      [{ name: 'epsilon', float: epsilon }],
      r.output,
    );
    const rstd = w.op('Reciprocal', [w.op('Sqrt', [w.op('Add', [variance, w.scalar(epsilon)])])]);
    Object.assign(r.saved, {
      centred,
      rstd,
      ...(r.vars.gamma ? { gamma: w.perChannel(r.vars.gamma) } : {}),
    });
  },
  backward(w, r, g, flow) {
    const [x] = r.inputs;
    const { centred, rstd, gamma } = r.saved;
    const xhat = w.op('Mul', [centred, rstd]);
    flow.weight('beta', (output) => w.channelSums(g, output));
    const gx = w.op('Mul', [g, xhat]);
    flow.weight('gamma', (output) => w.channelSums(gx, output));
    if (flow.needs(x)) {
      // dx = γ / σ · (g − mean(g) − x̂ · mean(g · x̂))
      const meanG = w.op('ReduceMean', [g], reduceAxes(NHW, 1));
      const meanGx = w.op('ReduceMean', [gx], reduceAxes(NHW, 1));
      const inner = w.op('Sub', [w.op('Sub', [g, meanG]), w.op('Mul', [xhat, meanGx])]);
      const scale = gamma ? w.op('Mul', [gamma, rstd]) : rstd;
      flow.give(x, w.op('Mul', [inner, scale]));
    }
  },
};
