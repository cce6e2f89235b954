import ndarray from 'ndarray';
import type { CardiacPhase, SliceSample } from '../src/acdc/types';

/**
 * A slice sample from label art: one row per string, one character per pixel: `.` 0, `r` 1 (RV), `m` 2
 * (myocardium), `c` 3 (LV cavity). The image is `brightness` everywhere.
 */
export function sampleFromArt(
  rows: readonly string[],
  options: { patientId?: string; phase?: CardiacPhase; slice?: number; brightness?: number } = {},
): SliceSample {
  const h = rows.length;
  const w = rows[0].length;
  const codes: Record<string, number> = { '.': 0, r: 1, m: 2, c: 3 };
  const labels = new Uint8Array(h * w);
  rows.forEach((row, y) => {
    for (let x = 0; x < w; x++) labels[y * w + x] = codes[row[x]];
  });
  const map = ndarray(labels, [h, w]);
  return {
    image: ndarray(new Float32Array(h * w).fill(options.brightness ?? 100), [h, w]),
    mask: map,
    labelMap: map,
    labels: 'all',
    patientId: options.patientId ?? 'patient001',
    group: 'NOR',
    phase: options.phase ?? 'ED',
    slice: options.slice ?? 0,
    sliceCount: 1,
    spacing: [1, 1],
  };
}

/** A w×h ring of myocardium around an LV cavity, with `margin` background pixels around it. */
export function ringArt(size: number, margin = 1): string[] {
  const side = size + 2 * margin;
  return Array.from({ length: side }, (_, y) =>
    Array.from({ length: side }, (_, x) => {
      const [yy, xx] = [y - margin, x - margin];
      if (yy < 0 || xx < 0 || yy >= size || xx >= size) return '.';
      const edge = Math.min(yy, xx, size - 1 - yy, size - 1 - xx);
      return edge < 2 ? 'm' : 'c';
    }).join(''),
  );
}
