import { assertDims, maskFrom } from './contiguous';
import { gaussianBlur } from './gaussian';
import { dice } from './overlap';
import { type ResizeMethod, resize } from './resize';
import type { Mask, NumericNdArray } from './types';
import { assertNumber } from './validate';

/** Options of {@link restoreMask}. */
export interface RestoreOptions {
  /** Gaussian σ in pixels of the restored (crop-sized) mask; 0 = no blur. */
  sigma: number;
  /** Foreground where the blurred value is ≥ this. Default 0.5. */
  threshold?: number;
  /** How the low-resolution mask is resized: `'nearest'` (default, as the paper) or `'bilinear'`. */
  method?: Extract<ResizeMethod, 'nearest' | 'bilinear'>;
}

/**
 * Step 4 of the method: resize a low-resolution mask (or probability map) to the crop's original size,
 * smooth it with a Gaussian blur of σ, and threshold it.
 *
 * @param lowRes - `[h, w]` mask (0/1) or probabilities in [0, 1], e.g. the 60×60 segmenter output.
 * @param shape - `[H, W]` of the crop in the full image.
 * @returns a 0/1 mask `[H, W]`. With σ = 0 and `'nearest'` it is the plain nearest-neighbour resize.
 */
export function restoreMask(
  lowRes: NumericNdArray,
  shape: readonly [number, number],
  options: RestoreOptions,
): Mask {
  const { sigma, threshold = 0.5, method = 'nearest' } = options;
  assertDims('restoreMask(lowRes)', lowRes, 2);
  assertNumber('restoreMask: sigma', sigma, 0);
  assertNumber('restoreMask: threshold', threshold);
  const smooth = gaussianBlur(resize(lowRes, shape, { method }), sigma);
  const out = new Uint8Array(shape[0] * shape[1]);
  const data = smooth.data;
  for (let i = 0; i < out.length; i++) out[i] = data[i] >= threshold ? 1 : 0;
  return maskFrom(out, shape);
}

/** The paper's σ grid: 0, 0.1, …, 1.0. */
export const DEFAULT_SIGMA_GRID: readonly number[] = Object.freeze(
  Array.from({ length: 11 }, (_, i) => i / 10),
);

/** The outcome of {@link bestSigma}. */
export interface SigmaChoice {
  /** The best σ of the grid. */
  sigma: number;
  /** The Dice of the restored mask with that σ. */
  dice: number;
}

/**
 * The σ of the grid whose {@link restoreMask} output best matches the truth (by Dice); ties go to the
 * smaller σ. This is how the paper labels each image before fitting the σ regression.
 *
 * @param lowRes - low-resolution mask or probabilities `[h, w]`.
 * @param truth - the true mask at the crop's original size `[H, W]`.
 * @param options.grid - the σ values to try (default {@link DEFAULT_SIGMA_GRID}).
 * @returns the best σ and its Dice.
 * @throws RangeError for an empty grid or a negative σ in it.
 */
export function bestSigma(
  lowRes: NumericNdArray,
  truth: NumericNdArray,
  options: { grid?: readonly number[]; threshold?: number; method?: RestoreOptions['method'] } = {},
): SigmaChoice {
  const { grid = DEFAULT_SIGMA_GRID, threshold, method } = options;
  assertDims('bestSigma(truth)', truth, 2);
  if (grid.length === 0) throw new RangeError('bestSigma: grid is empty; expected at least one σ');
  const shape: [number, number] = [truth.shape[0], truth.shape[1]];
  let best: SigmaChoice = { sigma: Number.NaN, dice: -1 };
  for (const sigma of grid) {
    const d = dice(restoreMask(lowRes, shape, { sigma, threshold, method }), truth);
    if (d > best.dice) best = { sigma, dice: d };
  }
  return best;
}
