/**
 * Largest difference of two weight lists, relative to each weight's largest magnitude, or to 0.01 for weights all
 * smaller (running means of ~1e-4 differ by float rounding of the batch mean).
 */
export function maxRelativeDifference(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((w, i) => {
    const scale = Math.max(1e-2, ...w.map(Math.abs));
    for (let k = 0; k < w.length; k++) worst = Math.max(worst, Math.abs(w[k] - b[i][k]) / scale);
  });
  return worst;
}
