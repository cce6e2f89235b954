import * as tf from '@tensorflow/tfjs-core';
import { ADAMW_STEP, type AdamWStepAttrs } from '../kernels/adamw-step';
import { TrainingOptionsError } from './errors';

/** Options of {@link AdamW}; the defaults are fastai's `Adam`. */
export interface AdamWOptions {
  /** Decay of the squared-gradient average, Adam's β2 (fastai `sqr_mom`, default 0.99). */
  beta2?: number;
  /** Added to the root of the debiased squared average (default 1e-5). */
  eps?: number;
}

/** One variable's update: its gradient and the hyper-parameters of its layer group at this step. */
export interface ParameterUpdate {
  /** The variable to update in place. */
  variable: tf.Variable;
  /** Its gradient, same shape. */
  gradient: tf.Tensor;
  /** Learning rate. */
  lr: number;
  /** Momentum: the decay of the gradient average, Adam's β1 (fastai `mom`). */
  mom: number;
  /** Decoupled weight decay: the variable is first scaled by `1 − lr · weightDecay`; 0 for none. */
  weightDecay: number;
}

interface Moments {
  step: number;
  gradAvg: tf.Variable;
  sqrAvg: tf.Variable;
}

/** One variable's saved optimizer state. */
export interface AdamWMoments {
  /** Number of updates so far (Adam's `t`). */
  step: number;
  /** Average of the gradients, Adam's `m` (same shape as the variable). */
  gradAvg: tf.Tensor;
  /** Average of the squared gradients, Adam's `v`. */
  sqrAvg: tf.Tensor;
}

/** A copy of an {@link AdamW}'s moments and step counts, from {@link AdamW.getState}; dispose it when done. */
export interface AdamWState {
  /** One entry per variable that has been updated. */
  readonly entries: ReadonlyMap<tf.Variable, AdamWMoments>;
  /** Frees the copied tensors. */
  dispose(): void;
}

/**
 * Adam with decoupled weight decay, step for step as fastai's `Adam(decouple_wd=True)`: per variable,
 * `p ← p·(1 − lr·wd)`, `m ← β1·m + (1 − β1)·g`, `v ← β2·v + (1 − β2)·g²`,
 * `p ← p − lr/(1 − β1^t) · m / (√(v/(1 − β2^t)) + eps)`.
 *
 * The learning rate, β1 and weight decay come with every update (they differ per layer group and per
 * step under the one-cycle schedule), which `tf.Optimizer` cannot express: it has one learning rate and
 * finds variables by name. Variables that get no update (frozen ones) keep their value and moments.
 * The moments live in non-trainable variables; call {@link AdamW.dispose} when done.
 */
export class AdamW {
  /** Adam's β2. */
  readonly beta2: number;
  /** The denominator's epsilon. */
  readonly eps: number;
  private readonly moments = new Map<tf.Variable, Moments>();

  /** @throws {@link TrainingOptionsError} for β2 outside [0, 1) or a negative eps. */
  constructor(options: AdamWOptions = {}) {
    const { beta2 = 0.99, eps = 1e-5 } = options;
    if (!(beta2 >= 0 && beta2 < 1))
      throw new TrainingOptionsError(`AdamW: beta2 must be in [0, 1), got ${beta2}`);
    if (!(eps >= 0 && Number.isFinite(eps)))
      throw new TrainingOptionsError(`AdamW: eps must be ≥ 0, got ${eps}`);
    this.beta2 = beta2;
    this.eps = eps;
  }

  /** Applies one step to each listed variable, in place. */
  applyGradients(updates: readonly ParameterUpdate[]): void {
    for (const u of updates) this.update(u);
  }

  private update({ variable, gradient, lr, mom, weightDecay }: ParameterUpdate): void {
    let state = this.moments.get(variable);
    if (state === undefined) {
      state = tf.tidy(() => ({
        step: 0,
        gradAvg: tf.variable(tf.zerosLike(variable), false),
        sqrAvg: tf.variable(tf.zerosLike(variable), false),
      }));
      this.moments.set(variable, state);
    }
    const s = state;
    s.step += 1;
    const debias1 = 1 - mom ** s.step;
    const debias2 = 1 - this.beta2 ** s.step;
    const attrs: AdamWStepAttrs = {
      lr,
      mom,
      beta2: this.beta2,
      eps: this.eps,
      weightDecay,
      debias1,
      debias2,
    };
    if (tf.getKernel(ADAMW_STEP, tf.getBackend()) !== undefined) {
      // one fused pass (registered on wasm by registerWasmTrainingKernels)
      const [p, m, v] = tf.engine().runKernel(
        ADAMW_STEP,
        {
          variable,
          gradient,
          gradAvg: s.gradAvg,
          sqrAvg: s.sqrAvg,
        },
        attrs,
      ) as tf.Tensor[];
      s.gradAvg.assign(m);
      s.sqrAvg.assign(v);
      variable.assign(p);
      tf.dispose([p, m, v]);
      return;
    }
    tf.tidy(() => {
      s.gradAvg.assign(tf.add(tf.mul(s.gradAvg, mom), tf.mul(gradient, 1 - mom)));
      s.sqrAvg.assign(tf.add(tf.mul(s.sqrAvg, this.beta2), tf.mul(tf.square(gradient), 1 - this.beta2)));
      const decayed = weightDecay === 0 ? variable : tf.mul(variable, 1 - lr * weightDecay);
      const denominator = tf.add(tf.sqrt(tf.div(s.sqrAvg, debias2)), this.eps);
      variable.assign(tf.sub(decayed, tf.mul(tf.div(s.gradAvg, denominator), lr / debias1)));
    });
  }

  /** A copy of the moments and step counts, for {@link AdamW.setState}. */
  getState(): AdamWState {
    const entries = new Map<tf.Variable, AdamWMoments>();
    for (const [v, m] of this.moments) {
      entries.set(v, { step: m.step, gradAvg: tf.clone(m.gradAvg), sqrAvg: tf.clone(m.sqrAvg) });
    }
    return {
      entries,
      dispose: () => {
        for (const e of entries.values()) tf.dispose([e.gradAvg, e.sqrAvg]);
      },
    };
  }

  /** Restores the moments of {@link AdamW.getState} exactly; variables updated since then lose theirs. */
  setState(state: AdamWState): void {
    for (const [v, m] of this.moments) {
      const saved = state.entries.get(v);
      if (saved === undefined) {
        tf.dispose([m.gradAvg, m.sqrAvg]);
        this.moments.delete(v);
      } else {
        m.step = saved.step;
        m.gradAvg.assign(saved.gradAvg);
        m.sqrAvg.assign(saved.sqrAvg);
      }
    }
    for (const [v, saved] of state.entries) {
      if (!this.moments.has(v)) {
        this.moments.set(v, {
          step: saved.step,
          gradAvg: tf.variable(saved.gradAvg, false),
          sqrAvg: tf.variable(saved.sqrAvg, false),
        });
      }
    }
  }

  /** Number of variables that have moments. */
  get size(): number {
    return this.moments.size;
  }

  /** Frees the moments. */
  dispose(): void {
    for (const m of this.moments.values()) tf.dispose([m.gradAvg, m.sqrAvg]);
    this.moments.clear();
  }
}
