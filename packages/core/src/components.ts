import { assertDims, maskFrom, packedBinary } from './contiguous';
import type { Mask, NumericNdArray } from './types';

/** Neighbourhood of a connected component: 4 or 8 in 2D; 6, 18 or 26 in 3D. */
export type Connectivity = 4 | 8 | 6 | 18 | 26;

/** Connected components of a mask: a label per element (0 = background) and each component's size. */
export interface Components {
  /** Packed row-major labels, 1…count, numbered in raster order of each component's first element. */
  labels: Int32Array;
  /** Number of components. */
  count: number;
  /** `sizes[l]` = number of elements with label `l` (`sizes[0]` is the background's). */
  sizes: Int32Array;
}

/** Offsets (dz, dy, dx) of the neighbours that come before an element in raster order. */
function previousNeighbours(dims: number, connectivity: Connectivity): [number, number, number][] {
  const allowed = dims === 2 ? [4, 8] : [6, 18, 26];
  if (!allowed.includes(connectivity)) {
    throw new RangeError(
      `connectivity must be ${allowed.join(' or ')} for a ${dims}D mask, got ${String(connectivity)}`,
    );
  }
  const maxHops = connectivity === 4 || connectivity === 6 ? 1 : connectivity === 18 ? 2 : 3;
  const out: [number, number, number][] = [];
  const zs = dims === 3 ? [-1, 0, 1] : [0];
  for (const dz of zs)
    for (const dy of [-1, 0, 1])
      for (const dx of [-1, 0, 1]) {
        const hops = Math.abs(dz) + Math.abs(dy) + Math.abs(dx);
        const first = dz !== 0 ? dz : dy !== 0 ? dy : dx;
        if (hops > 0 && hops <= maxHops && first < 0) out.push([dz, dy, dx]);
      }
  return out;
}

function labelBits(bits: Uint8Array, shape: readonly number[], connectivity: Connectivity): Components {
  const [D, H, W] = shape.length === 3 ? shape : [1, shape[0], shape[1]];
  const offsets = previousNeighbours(shape.length, connectivity);
  const parent = new Int32Array(bits.length + 1);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const provisional = new Int32Array(bits.length);
  let next = 1;
  for (let z = 0; z < D; z++)
    for (let y = 0; y < H; y++)
      for (let x = 0; x < W; x++) {
        const i = (z * H + y) * W + x;
        if (!bits[i]) continue;
        let label = 0;
        for (const [dz, dy, dx] of offsets) {
          const nz = z + dz;
          const ny = y + dy;
          const nx = x + dx;
          if (nz < 0 || ny < 0 || nx < 0 || nx >= W || ny >= H) continue;
          const l = provisional[(nz * H + ny) * W + nx];
          if (!l) continue;
          if (!label) label = find(l);
          else {
            const a = find(label);
            const b = find(l);
            if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
            label = Math.min(a, b);
          }
        }
        if (!label) {
          label = next++;
          parent[label] = label;
        }
        provisional[i] = label;
      }
  // final labels in raster order of first appearance: roots are the smallest provisional label of their set
  const final = new Int32Array(next);
  let count = 0;
  for (let l = 1; l < next; l++) {
    const r = find(l);
    if (!final[r]) final[r] = ++count;
    final[l] = final[r];
  }
  const sizes = new Int32Array(count + 1);
  for (let i = 0; i < bits.length; i++) {
    const l = final[provisional[i]];
    provisional[i] = l;
    sizes[l]++;
  }
  return { labels: provisional, count, sizes };
}

/**
 * Labels the connected components of a mask (as `scipy.ndimage.label`).
 *
 * @param mask - `[H, W]` or `[D, H, W]`; any non-zero value is foreground.
 * @param options.connectivity - 4 (default) or 8 in 2D; 6 (default), 18 or 26 in 3D.
 * @returns labels numbered in raster order; an empty mask has `count` 0.
 */
export function labelComponents(
  mask: NumericNdArray,
  options: { connectivity?: Connectivity } = {},
): Components {
  assertDims('labelComponents(mask)', mask, [2, 3]);
  const connectivity = options.connectivity ?? (mask.shape.length === 2 ? 4 : 6);
  return labelBits(packedBinary(mask), mask.shape, connectivity);
}

/**
 * Keeps only the largest connected component of a mask (as MONAI's `KeepLargestConnectedComponent`); ties go to
 * the component that comes first in raster order.
 *
 * @param mask - `[H, W]` or `[D, H, W]`; any non-zero value is foreground.
 * @param options.connectivity - 4 or 8 (default) in 2D; 6, 18 or 26 (default) in 3D.
 * @returns a new 0/1 mask; an empty mask gives an empty mask.
 */
export function largestConnectedComponent(
  mask: NumericNdArray,
  options: { connectivity?: Connectivity } = {},
): Mask {
  assertDims('largestConnectedComponent(mask)', mask, [2, 3]);
  const connectivity = options.connectivity ?? (mask.shape.length === 2 ? 8 : 26);
  const { labels, count, sizes } = labelBits(packedBinary(mask), mask.shape, connectivity);
  let best = 0;
  for (let l = 1; l <= count; l++) if (sizes[l] > sizes[best] || best === 0) best = l;
  const out = new Uint8Array(labels.length);
  if (count > 0) for (let i = 0; i < out.length; i++) out[i] = labels[i] === best ? 1 : 0;
  return maskFrom(out, mask.shape);
}

/**
 * Fills the holes of a mask: background regions that do not touch the array's border become foreground
 * (as `scipy.ndimage.binary_fill_holes` and MONAI's `FillHoles`).
 *
 * Note that on a myocardium ring this fills the LV cavity.
 *
 * @param mask - `[H, W]` or `[D, H, W]`; any non-zero value is foreground.
 * @param options.connectivity - connectivity of the background: 4 (default) or 8 in 2D; 6 (default), 18 or 26 in 3D.
 * @returns a new 0/1 mask.
 */
export function fillHoles(mask: NumericNdArray, options: { connectivity?: Connectivity } = {}): Mask {
  assertDims('fillHoles(mask)', mask, [2, 3]);
  const connectivity = options.connectivity ?? (mask.shape.length === 2 ? 4 : 6);
  const bits = packedBinary(mask);
  const background = bits.map((b) => 1 - b);
  const { labels, count } = labelBits(background, mask.shape, connectivity);
  const touchesBorder = new Uint8Array(count + 1);
  const shape = mask.shape;
  const strides = shape.map((_, d) => shape.slice(d + 1).reduce((a, b) => a * b, 1));
  for (let i = 0; i < labels.length; i++) {
    if (!labels[i]) continue;
    for (let d = 0; d < shape.length; d++) {
      const c = Math.floor(i / strides[d]) % shape[d];
      if (c === 0 || c === shape[d] - 1) {
        touchesBorder[labels[i]] = 1;
        break;
      }
    }
  }
  const out = new Uint8Array(bits.length);
  for (let i = 0; i < out.length; i++) out[i] = bits[i] || (labels[i] && !touchesBorder[labels[i]]) ? 1 : 0;
  return maskFrom(out, shape);
}
