import { InvalidOptionError } from '../errors';
import type { SliceFilter } from './slice-filter';

/** Options of {@link exposureInRange}. */
export interface ExposureOptions {
  /** A slice darker than this fraction of its stack's median brightness is rejected (default 0.5). */
  minRatio?: number;
  /** A slice brighter than this multiple of its stack's median brightness is rejected (default 2). */
  maxRatio?: number;
}

/**
 * Rejects too dark or too bright slices: those whose robust brightness (99th percentile) is under `minRatio` or
 * over `maxRatio` times the median of their stack (same patient and phase), so that scanner units do not
 * matter. Name: `too-dark-or-too-bright`.
 */
export function exposureInRange(options: ExposureOptions = {}): SliceFilter {
  const minRatio = options.minRatio ?? 0.5;
  const maxRatio = options.maxRatio ?? 2;
  if (!(minRatio >= 0 && maxRatio > minRatio && Number.isFinite(maxRatio))) {
    throw new InvalidOptionError(
      `exposureInRange: expected 0 ≤ minRatio < maxRatio < ∞, got minRatio ${minRatio}, maxRatio ${maxRatio}`,
    );
  }
  return {
    name: 'too-dark-or-too-bright',
    reject(_sample, { brightness, stackBrightness }) {
      if (!(stackBrightness > 0)) return null;
      const ratio = brightness / stackBrightness;
      const what = `brightness ${brightness.toFixed(1)} is ${ratio.toFixed(2)}× the stack median ${stackBrightness.toFixed(1)}`;
      if (ratio < minRatio) return `${what} (too dark, under ${minRatio}×)`;
      if (ratio > maxRatio) return `${what} (too bright, over ${maxRatio}×)`;
      return null;
    },
  };
}
