import { readFileSync } from 'node:fs';
import ndarray, { type NdArray } from 'ndarray';

/** The scipy/skimage reference values written by test/fixtures/make_fixtures.py. */
export const fixtures = JSON.parse(
  readFileSync(new URL('./fixtures/core-fixtures.json', import.meta.url), 'utf8'),
) as {
  gaussian: {
    shape: [number, number];
    image: number[];
    cases: { sigma: number; mode: 'reflect' | 'nearest' | 'constant'; out: number[] }[];
  };
  resize: {
    shape: [number, number];
    image: number[];
    cases: { target: [number, number]; order: 0 | 1; out: number[] }[];
  };
  surface: {
    shape: number[];
    spacing: number[];
    a: number[];
    b: number[];
    hd: number;
    hd95: number;
    assd: number;
    edtA: number[];
  }[];
  label: {
    shape: number[];
    connectivity: 4 | 8 | 6 | 26;
    mask: number[];
    labels: number[];
    count: number;
    filled: number[];
  }[];
  percentile: { values: number[]; p1: number; p99: number; p37_5: number };
};

/** A Float32 ndarray of the given shape from plain numbers. */
export const f32 = (values: number[], shape: readonly number[]): NdArray<Float32Array> =>
  ndarray(Float32Array.from(values), [...shape]);

/** A Uint8 mask of the given shape from plain numbers. */
export const u8 = (values: number[], shape: readonly number[]): NdArray<Uint8Array> =>
  ndarray(Uint8Array.from(values), [...shape]);

/** Largest absolute difference between two equal-length sequences. */
export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A mask with a filled ellipse, for tests. */
export function ellipseMask(
  h: number,
  w: number,
  cy: number,
  cx: number,
  ry: number,
  rx: number,
): NdArray<Uint8Array> {
  const out = new Uint8Array(h * w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) out[y * w + x] = ((y - cy) / ry) ** 2 + ((x - cx) / rx) ** 2 < 1 ? 1 : 0;
  return ndarray(out, [h, w]);
}
