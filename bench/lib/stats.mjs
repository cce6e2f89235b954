// Small numeric helpers of the bench.

/** The median of a non-empty list (the mean of the two middle values for an even length). */
export function median(xs) {
  if (xs.length === 0) throw new RangeError('median of an empty list');
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `ours / theirs`, or null when either is missing or theirs is not positive. */
export function ratio(ours, theirs) {
  if (ours == null || theirs == null || !(theirs > 0)) return null;
  return ours / theirs;
}

/** `value` rounded to `digits` significant digits (null stays null). */
export function round(value, digits = 3) {
  if (value == null || !Number.isFinite(value)) return value ?? null;
  if (value === 0) return 0;
  return Number(value.toPrecision(digits));
}

/** GFLOP/s of `flops` floating-point operations done in `ms` (null when either is missing). */
export function gflops(flops, ms) {
  if (flops == null || ms == null || !(ms > 0)) return null;
  return flops / ms / 1e6;
}

/** How far runs spread around their median: (max − min) / median; null for fewer than 2 runs. */
export function spread(xs) {
  if (xs.length < 2) return null;
  return (Math.max(...xs) - Math.min(...xs)) / median(xs);
}

/** A cell's runs spread more than this, and its ratio is flagged as noisy. */
export const NOISY_SPREAD = 0.2;
