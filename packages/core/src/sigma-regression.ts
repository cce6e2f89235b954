import { InsufficientDataError } from './errors';
import { DEFAULT_SIGMA_GRID } from './restore';
import { assertNumber } from './validate';

/** One training point of the σ regression: a crop's width (pixels) and its best σ. */
export interface SigmaSample {
  /** Width of the crop in the original image, in pixels. */
  width: number;
  /** The best σ found for it (e.g. by {@link bestSigma}). */
  sigma: number;
}

/** The JSON form of a {@link SigmaRegression}. */
export interface SigmaRegressionJSON {
  /** Change of σ per pixel of crop width. */
  slope: number;
  /** σ at width 0. */
  intercept: number;
  /** Predictions are clamped to `[min, max]`. */
  range: [number, number];
}

/** A fitted linear model σ = slope · width + intercept, clamped to a range. */
export interface SigmaRegression extends SigmaRegressionJSON {
  /** The σ for a crop `width` pixels wide, clamped to `range`. */
  predict(width: number): number;
  /** The plain-object form, for JSON files. */
  toJSON(): SigmaRegressionJSON;
}

function makeRegression({ slope, intercept, range }: SigmaRegressionJSON): SigmaRegression {
  const model: SigmaRegressionJSON = { slope, intercept, range: [range[0], range[1]] };
  return {
    ...model,
    predict(width: number): number {
      assertNumber('SigmaRegression.predict: width', width, 0);
      return Math.min(range[1], Math.max(range[0], slope * width + intercept));
    },
    toJSON: () => ({ ...model, range: [range[0], range[1]] }),
  };
}

/**
 * Fits the method's σ regression by least squares on the crop width.
 *
 * @param samples - at least two samples with distinct widths.
 * @param options.range - predictions are clamped to this (default: the paper's grid, [0, 1]).
 * @throws {@link InsufficientDataError} with fewer than two distinct widths; RangeError for non-finite values.
 */
export function fitSigmaRegression(
  samples: readonly SigmaSample[],
  options: { range?: readonly [number, number] } = {},
): SigmaRegression {
  const range: [number, number] = options.range
    ? [options.range[0], options.range[1]]
    : [Math.min(...DEFAULT_SIGMA_GRID), Math.max(...DEFAULT_SIGMA_GRID)];
  if (!(range[0] <= range[1])) throw new RangeError(`fitSigmaRegression: range [${range}] is not ordered`);
  samples.forEach((s, i) => {
    assertNumber(`fitSigmaRegression: samples[${i}].width`, s.width, 0);
    assertNumber(`fitSigmaRegression: samples[${i}].sigma`, s.sigma);
  });
  if (new Set(samples.map((s) => s.width)).size < 2) {
    throw new InsufficientDataError(
      `fitSigmaRegression: needs samples with at least 2 distinct widths, got ${samples.length} sample(s) with ${new Set(samples.map((s) => s.width)).size} distinct width(s)`,
    );
  }
  const n = samples.length;
  const mx = samples.reduce((a, s) => a + s.width, 0) / n;
  const my = samples.reduce((a, s) => a + s.sigma, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const s of samples) {
    sxy += (s.width - mx) * (s.sigma - my);
    sxx += (s.width - mx) ** 2;
  }
  const slope = sxy / sxx;
  return makeRegression({ slope, intercept: my - slope * mx, range });
}

/**
 * Rebuilds a {@link SigmaRegression} from its JSON form (as written by `toJSON()`).
 *
 * @throws TypeError naming the field when the object is not a valid σ regression.
 */
export function sigmaRegressionFromJSON(json: unknown): SigmaRegression {
  const o = json as Partial<SigmaRegressionJSON> | null;
  const bad = (field: string) =>
    new TypeError(
      `sigmaRegressionFromJSON: field '${field}' must be ${field === 'range' ? 'an ordered pair of finite numbers' : 'a finite number'}, got ${JSON.stringify(o?.[field as keyof SigmaRegressionJSON])}`,
    );
  if (typeof o !== 'object' || o === null) throw new TypeError('sigmaRegressionFromJSON: expected an object');
  if (!Number.isFinite(o.slope)) throw bad('slope');
  if (!Number.isFinite(o.intercept)) throw bad('intercept');
  const r = o.range;
  if (!Array.isArray(r) || r.length !== 2 || !r.every(Number.isFinite) || r[0] > r[1]) throw bad('range');
  return makeRegression({ slope: o.slope as number, intercept: o.intercept as number, range: [r[0], r[1]] });
}
