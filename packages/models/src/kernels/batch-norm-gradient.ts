import {
  add,
  backend_util,
  FusedBatchNorm,
  type FusedBatchNormAttrs,
  type GradConfig,
  mul,
  neg,
  reshape,
  rsqrt,
  sub,
  sum,
  type Tensor,
} from '@tensorflow/tfjs-core';

/**
 * The gradient of `FusedBatchNorm` (`tf.batchNorm`), with tfjs-core 4.22's formulas but less work: it tiled
 * `1/√(var + ε)` to the input's full size, and computed `x − mean` and `dy · scale` at full size before any input's
 * gradient was asked for, so both stayed allocated to the end of the backward pass (one per BatchNorm layer).
 * Here the per-channel factors broadcast, and each input's gradient computes what it needs in its own scope:
 * `dx = dy · scale/σ`, `dmean = −scale/σ · Σdy`, `dvar = −½ scale/σ³ · Σ(x − mean)·dy`, `dscale = Σ(x − mean)·dy / σ`,
 * `doffset = Σdy` (sums over the axes that `mean` is broadcast along; σ = √(var + ε)).
 */
export const batchNormGradient: GradConfig = {
  kernelName: FusedBatchNorm,
  inputsToSave: ['x', 'mean', 'variance', 'scale'],
  gradFunc: (dy, saved, attrs) => {
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const [x, mean, variance, scale] = saved;
    const g = dy as Tensor;
    const axes = backend_util.getReductionAxes(mean.shape, x.shape);
    /** `t` summed over the broadcast axes, in `mean`'s shape. */
    const reduce = (t: Tensor) => reshape(axes.length > 0 ? sum(t, axes, true) : t, mean.shape);
    const inverseSigma = () => rsqrt(add(variance, varianceEpsilon));
    const scaled = (t: Tensor) => (scale == null ? t : mul(t, scale));
    const centredDy = () => reduce(mul(sub(x, mean), g));
    return {
      x: () => reshape(mul(g, scaled(inverseSigma())), x.shape),
      mean: () => mul(scaled(neg(inverseSigma())), reduce(g)),
      variance: () => {
        const s = inverseSigma();
        return mul(scaled(mul(mul(mul(s, s), s), -0.5)), centredDy());
      },
      scale: () => mul(inverseSigma(), centredDy()),
      offset: () => reduce(g),
    };
  },
};
