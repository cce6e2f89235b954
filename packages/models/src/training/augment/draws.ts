/** A source of uniform numbers in [0, 1), such as `seededRandom` from `@myoseg/core`. */
export type RandomSource = () => number;

/** A uniform number in [lo, hi). */
export function uniform(random: RandomSource, lo: number, hi: number): number {
  return lo + (hi - lo) * random();
}

/** True with probability `p`; draws nothing when `p` is 0 or 1, so a disabled step does not move the stream. */
export function chance(random: RandomSource, p: number): boolean {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return random() < p;
}

/** A standard normal number (Box–Muller on two uniform draws; `1 − u` keeps the logarithm finite). */
export function normal(random: RandomSource): number {
  const r = Math.sqrt(-2 * Math.log(1 - random()));
  return r * Math.cos(2 * Math.PI * random());
}

/**
 * nnU-Net's `BGContrast` draw of a factor from `[lo, hi]` around 1: with probability ½ (when `lo` < 1)
 * uniform in `[lo, 1)`, else uniform in `[max(lo, 1), hi)`, so that factors below and above 1 are equally
 * likely however lopsided the range.
 */
export function factorAroundOne(random: RandomSource, [lo, hi]: readonly [number, number]): number {
  if (random() < 0.5 && lo < 1) return uniform(random, lo, 1);
  return uniform(random, Math.max(lo, 1), hi);
}
