import * as tfl from '@tensorflow/tfjs-layers';
import { mixSeed } from '../training/random';

/** A tfjs-layers weight initializer. */
export type Initializer = ReturnType<typeof tfl.initializers.randomNormal>;

/**
 * PyTorch's initializers as tfjs-layers ones, each seeded from one builder seed: the `k`-th initializer a
 * builder asks for gets `mixSeed(seed, k)`, so a model built twice with the same seed has the same weights.
 */
export class SeededInitializers {
  private count = 0;

  constructor(private readonly seed: number) {}

  private next(): number {
    return mixSeed(this.seed, this.count++);
  }

  /** `nn.init.kaiming_normal_(w, mode, nonlinearity='relu')`: an untruncated normal, std √(2 / fan). */
  kaimingNormal(fan: number): Initializer {
    return tfl.initializers.randomNormal({ mean: 0, stddev: Math.sqrt(2 / fan), seed: this.next() });
  }

  /** PyTorch's default `nn.Conv2d` weight (kaiming uniform with a = √5): uniform in ±1 / √fan_in. */
  torchDefaultUniform(fanIn: number): Initializer {
    const bound = 1 / Math.sqrt(fanIn);
    return tfl.initializers.randomUniform({ minval: -bound, maxval: bound, seed: this.next() });
  }

  /** A normal with the given std (fastai's `bias_std`). */
  normal(stddev: number): Initializer {
    return tfl.initializers.randomNormal({ mean: 0, stddev, seed: this.next() });
  }

  /** A seed for an initializer that is not a tfjs-layers one (ICNR). */
  rawSeed(): number {
    return this.next();
  }
}
