import ndarray, { type NdArray } from 'ndarray';
import { InvalidShapeError } from './errors';
import type { NumericArray } from './types';

/**
 * A 4×4 (or 3×4) affine, rows of 4, mapping voxel indices `(i, j, k, 1)` to world coordinates in mm, in NIfTI's
 * RAS+ world (+x right, +y anterior, +z superior). `i` is the fastest axis: a `[D, H, W]` array's W.
 */
export type Affine = readonly (readonly number[])[];

/**
 * Where each voxel axis `i, j, k` points, as nibabel's `aff2axcodes` writes it: three letters from R/L, A/P,
 * S/I, e.g. `'RAS'` (an identity affine) or `'LPS'`.
 */
export type AxisCodes = string;

/**
 * How a `[D, H, W]` array is turned to a reference orientation: axis `a` of the result is axis `axes[a]` of the
 * input, reversed where `flips[a]`. {@link reorient} applies it; {@link restoreOrientation} undoes it.
 */
export interface Reorientation {
  /** For each axis of the result (D, H, W), the input axis it comes from. */
  readonly axes: readonly [number, number, number];
  /** For each axis of the result, whether it runs backwards through the input. */
  readonly flips: readonly [boolean, boolean, boolean];
}

const LETTERS: readonly (readonly [string, string])[] = [
  ['R', 'L'],
  ['A', 'P'],
  ['S', 'I'],
];

/** The unit world direction of each voxel axis `i, j, k` (null when the affine has a zero or non-finite column). */
function axisDirections(affine: Affine, what: string): number[][] | null {
  if (affine.length < 3 || affine.slice(0, 3).some((row) => row.length < 3)) {
    throw new InvalidShapeError(`${what}: affine must be 3×4 or 4×4 (rows of 4), got ${affine.length} rows`);
  }
  const dirs = [0, 1, 2].map((c) => [affine[0][c], affine[1][c], affine[2][c]]);
  for (const d of dirs) {
    const n = Math.hypot(d[0], d[1], d[2]);
    if (!(n > 0 && Number.isFinite(n))) return null;
    for (let r = 0; r < 3; r++) d[r] /= n;
  }
  return dirs;
}

/** The world direction a letter names, e.g. `'L'` → `[-1, 0, 0]`. */
function letterDirection(letter: string, what: string): number[] {
  const axis = LETTERS.findIndex((pair) => pair.includes(letter));
  if (axis < 0) throw new RangeError(`${what}: axis codes must be three of R/L, A/P, S/I, got '${letter}'`);
  const out = [0, 0, 0];
  out[axis] = LETTERS[axis][0] === letter ? 1 : -1;
  return out;
}

function checkCodes(codes: AxisCodes, what: string): number[][] {
  const dirs = [...codes].map((l) => letterDirection(l, what));
  const worldAxes = new Set(dirs.map((d) => d.findIndex((v) => v !== 0)));
  if (codes.length !== 3 || worldAxes.size !== 3) {
    throw new RangeError(`${what}: axis codes must name each of R/L, A/P, S/I once, got '${codes}'`);
  }
  return dirs;
}

const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];

/**
 * The axis codes of an affine: each voxel axis is given the world axis it is closest to, largest component first
 * (so an oblique axis still gets one letter, and no two axes share one), as nibabel's `aff2axcodes`.
 *
 * @param affine - voxel `(i, j, k)` to RAS+ world, 3×4 or 4×4.
 * @returns e.g. `'RAS'`; `null` when a column of the affine is zero or not finite (no orientation to speak of).
 * @example
 * ```ts
 * orientationOf([[-1.5, 0, 0, 0], [0, 1.5, 0, 0], [0, 0, 8, 0], [0, 0, 0, 1]]); // 'LAS'
 * ```
 */
export function orientationOf(affine: Affine): AxisCodes | null {
  const dirs = axisDirections(affine, 'orientationOf');
  if (!dirs) return null;
  const codes = ['', '', ''];
  const freeVoxel = new Set([0, 1, 2]);
  const freeWorld = new Set([0, 1, 2]);
  while (freeVoxel.size > 0) {
    let best = { v: -1, w: -1, size: -1 };
    for (const v of freeVoxel)
      for (const w of freeWorld)
        if (Math.abs(dirs[v][w]) > best.size) best = { v, w, size: Math.abs(dirs[v][w]) };
    codes[best.v] = LETTERS[best.w][dirs[best.v][best.w] >= 0 ? 0 : 1];
    freeVoxel.delete(best.v);
    freeWorld.delete(best.w);
  }
  return codes.join('');
}

/**
 * How to turn a `[D, H, W]` stack with this affine into the `target` orientation (the one a model was trained
 * in): the axis permutation and flips that bring each voxel axis closest to the target's, as nibabel's
 * `as_closest_canonical` or MONAI's `Orientationd` do.
 *
 * One exception keeps short-axis stacks whole: when `spacing` has one clearly coarsest axis (≥ 1.5× the others,
 * the slice gap of a 2D multi-slice stack), that axis stays the slice axis (D) even when an oblique plane makes
 * another axis closer to the target's through-plane direction; only the in-plane axes are permuted and flipped.
 *
 * @param affine - the stack's voxel `(i, j, k)` → RAS+ world affine.
 * @param target - the reference axis codes, e.g. `'RAS'`.
 * @param spacing - `[dz, dy, dx]` in mm, to find the slice axis; optional.
 * @returns the identity (`axes` `[0, 1, 2]`, no flips) when the affine has no orientation (a zero column).
 * @throws RangeError for target codes that are not a permutation of R/L, A/P, S/I.
 */
export function reorientation(
  affine: Affine,
  target: AxisCodes,
  spacing?: readonly [number, number, number],
): Reorientation {
  const targetVoxel = checkCodes(target, 'reorientation');
  const voxel = axisDirections(affine, 'reorientation');
  if (!voxel) return { axes: [0, 1, 2], flips: [false, false, false] };
  // array axis a (D, H, W) is voxel axis 2 - a (k, j, i)
  const dirs = [voxel[2], voxel[1], voxel[0]];
  const want = [targetVoxel[2], targetVoxel[1], targetVoxel[0]];
  const closeness = (from: number, to: number) => Math.abs(dot(dirs[from], want[to]));
  let slice = [0, 1, 2].reduce((b, a) => (closeness(a, 0) > closeness(b, 0) ? a : b), 0);
  if (spacing) {
    const coarsest = [0, 1, 2].reduce((b, a) => (spacing[a] > spacing[b] ? a : b), 0);
    if ([0, 1, 2].every((a) => a === coarsest || spacing[coarsest] >= 1.5 * spacing[a])) slice = coarsest;
  }
  const [p, q] = [0, 1, 2].filter((a) => a !== slice);
  const keep = closeness(p, 1) + closeness(q, 2) >= closeness(q, 1) + closeness(p, 2);
  const axes: [number, number, number] = keep ? [slice, p, q] : [slice, q, p];
  const flips = axes.map((from, to) => dot(dirs[from], want[to]) < 0) as [boolean, boolean, boolean];
  return { axes, flips };
}

/** Whether a reorientation leaves an array as it is. */
export function isIdentityReorientation(r: Reorientation): boolean {
  return r.axes.every((a, i) => a === i) && r.flips.every((f) => !f);
}

function permuted<T extends NumericArray>(volume: NdArray<T>, r: Reorientation, what: string): NdArray<T> {
  if (volume.shape.length !== 3)
    throw new InvalidShapeError(
      `${what}: expected a [D, H, W] array, got shape [${volume.shape.join(', ')}]`,
    );
  const view = volume.transpose(...r.axes);
  const [d, h, w] = view.shape;
  const data = new (volume.data.constructor as new (n: number) => T)(d * h * w);
  const [sd, sh, sw] = view.stride;
  const at = (a: number, n: number) => (r.flips[a] ? n - 1 : 0);
  const step = (a: number, s: number) => (r.flips[a] ? -s : s);
  const [bd, bh, bw] = [at(0, d), at(1, h), at(2, w)];
  const [td, th, tw] = [step(0, sd), step(1, sh), step(2, sw)];
  let o = 0;
  for (let z = 0; z < d; z++)
    for (let y = 0; y < h; y++) {
      let src = view.offset + (bd * sd + z * td) + (bh * sh + y * th) + bw * sw;
      for (let x = 0; x < w; x++, src += tw) data[o++] = volume.data[src];
    }
  return ndarray(data, [d, h, w]);
}

/**
 * Turns a `[D, H, W]` array by a {@link reorientation}; a new contiguous array of the same type (the input is
 * not modified). Spacing turns with {@link reorientSpacing}.
 *
 * @example
 * ```ts
 * const r = reorientation(affine, 'RAS', spacing);
 * const forModel = reorient(volume, r);
 * const mask = restoreOrientation(modelMask, r); // back on the input's voxel grid
 * ```
 */
export function reorient<T extends NumericArray>(volume: NdArray<T>, r: Reorientation): NdArray<T> {
  return permuted(volume, r, 'reorient');
}

/** The inverse of a reorientation: what {@link restoreOrientation} applies. */
function inverse(r: Reorientation): Reorientation {
  const axes = [0, 0, 0] as [number, number, number];
  const flips = [false, false, false] as [boolean, boolean, boolean];
  r.axes.forEach((from, to) => {
    axes[from] = to;
    flips[from] = r.flips[to];
  });
  return { axes, flips };
}

/**
 * Undoes {@link reorient}: an array in the reference orientation (a mask `[D', H', W']`) back on the input's
 * voxel grid `[D, H, W]`; a new contiguous array.
 */
export function restoreOrientation<T extends NumericArray>(volume: NdArray<T>, r: Reorientation): NdArray<T> {
  return permuted(volume, inverse(r), 'restoreOrientation');
}

/**
 * The affine of `reorient(volume, r)` when `volume` (shape `[D, H, W]`) has `affine`: each voxel keeps its world
 * position. A 4×4 matrix.
 */
export function reorientAffine(affine: Affine, shape: readonly number[], r: Reorientation): number[][] {
  const out = [0, 1, 2].map((row) => [0, 0, 0, affine[row][3] ?? 0]);
  r.axes.forEach((from, to) => {
    const sign = r.flips[to] ? -1 : 1;
    for (let row = 0; row < 3; row++) {
      // array axis a is voxel axis 2 - a
      out[row][2 - to] = sign * affine[row][2 - from];
      if (r.flips[to]) out[row][3] += affine[row][2 - from] * (shape[from] - 1);
    }
  });
  return [...out, [0, 0, 0, 1]];
}

/** `[dz, dy, dx]` in mm of the reoriented array. */
export function reorientSpacing(
  spacing: readonly [number, number, number],
  r: Reorientation,
): [number, number, number] {
  return [spacing[r.axes[0]], spacing[r.axes[1]], spacing[r.axes[2]]];
}
