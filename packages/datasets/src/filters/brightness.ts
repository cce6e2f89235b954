import type { NdArray } from 'ndarray';

const BINS = 4096;

/**
 * The 99th percentile (or `quantile`) of an image's intensities: a brightness that a few hot pixels do not
 * move. Found by histogram, refined within the bin that holds it, so that outliers do not coarsen it.
 *
 * @param image - any shape, packed; an empty image gives 0.
 */
export function robustBrightness(image: NdArray<Float32Array>, quantile = 0.99): number {
  const data = image.data.subarray(image.offset, image.offset + image.size);
  if (data.length === 0) return 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Rank of the wanted value among the values in [lo, hi], and the number of values below lo.
  let rank = Math.max(1, Math.ceil(quantile * data.length));
  const counts = new Uint32Array(BINS);
  for (let level = 0; level < 3 && hi > lo; level++) {
    counts.fill(0);
    const scale = BINS / (hi - lo);
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v >= lo && v <= hi) counts[Math.min(BINS - 1, Math.floor((v - lo) * scale))]++;
    }
    let b = 0;
    while (rank > counts[b]) rank -= counts[b++];
    [lo, hi] = [lo + b / scale, b === BINS - 1 ? hi : lo + (b + 1) / scale];
  }
  return hi;
}
