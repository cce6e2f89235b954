import {
  type Box,
  boundingBox,
  labelComponents,
  largestConnectedComponent,
  type Mask,
  type NumericNdArray,
  resize,
} from '@myoseg/core';
import ndarray from 'ndarray';
import { thresholdMap } from './crop-region';

/**
 * Step 1 of the paper, one slice at a time: the localizer's probability map as the full-size region mask
 * (bilinear resize to the image's size, threshold, largest 8-connected component, so a stray blob never moves
 * the crop).
 *
 * @param probabilities - `[h, w]` at the localizer's input size, values in [0, 1].
 * @param imageShape - `[H, W]` of the original image.
 * @returns a 0/1 mask `[H, W]`; empty when no pixel reaches `threshold`.
 */
export function regionFromProbabilities(
  probabilities: NumericNdArray,
  imageShape: readonly [number, number],
  threshold: number,
): Mask {
  return largestConnectedComponent(
    thresholdMap(resize(probabilities, imageShape, { method: 'bilinear' }), threshold),
  );
}

/** Settings of {@link regionTrack}; the defaults suit ACDC-like short-axis stacks. */
export interface RegionTrackOptions {
  /** Probability threshold of a slice's region (default 0.5). */
  threshold?: number;
  /**
   * Largest distance between a slice's box centre and its neighbours' (median), as a fraction of the consensus
   * region's larger side (default 0.35); a box further off is replaced.
   */
  maxShift?: number;
  /** Largest ratio between a slice's box size and its neighbours' (median), either way (default 2). */
  maxSizeRatio?: number;
  /** Slices on each side that count as neighbours (default 2). */
  neighbours?: number;
  /** A region whose highest probability is below this is weak evidence (default 0.6). */
  minPeak?: number;
  /** A region smaller than this fraction of the stack's median region area is weak evidence (default 0.2). */
  minAreaFraction?: number;
}

/**
 * How a slice's region was decided: `component` (a connected component of its own map that agrees with the
 * stack), `interpolated` (a box between the nearest agreeing slices, because its own map disagreed or was weak),
 * `absent` (outside the agreeing slices: apical or basal, no myocardium expected).
 */
export type SliceLocalization = 'component' | 'interpolated' | 'absent';

/** The outcome of {@link regionTrack}: one region per frame and slice, consistent across the stack. */
export interface RegionTrack {
  /** `regions[t][z]`: a 0/1 mask `[H, W]`; a filled box when interpolated, empty when absent. */
  regions: Mask[][];
  /** `boxes[t][z]`: the region's bounding box in pixels (`y1`/`x1` exclusive); `null` when absent. */
  boxes: (Box | null)[][];
  /** `status[t][z]`: how the region was decided. */
  status: SliceLocalization[][];
  /** The bounding box of the stack's consensus region; `null` when no map of the stack has any foreground. */
  consensus: Box | null;
}

/** One connected component of a slice's thresholded map, as far as the track needs it. */
interface Candidate {
  label: number;
  labels: Int32Array;
  box: Box;
  area: number;
  peak: number;
}

const centreY = (b: Box) => (b.y0 + b.y1) / 2;
const centreX = (b: Box) => (b.x0 + b.x1) / 2;
const sizeOf = (b: Box) => Math.max(b.y1 - b.y0, b.x1 - b.x0);

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** A map's values in row-major order (its own data when already packed). */
function packedValues(map: NumericNdArray, h: number, w: number): ArrayLike<number> {
  if (map.offset === 0 && map.stride[0] === w && map.stride[1] === 1) return map.data;
  const out = new Float32Array(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = map.get(y, x);
  return out;
}

/**
 * The stack's consensus region: the mean map thresholded at half its maximum, and of that the 8-connected
 * component with the most probability mass (a blob seen on a single slice weighs 1/n there).
 */
function consensusRegion(mean: Float64Array, h: number, w: number): Uint8Array | null {
  const peak = mean.reduce((a, b) => Math.max(a, b), 0);
  if (peak <= 0) return null;
  const above = ndarray(
    Uint8Array.from(mean, (v) => (v >= peak / 2 ? 1 : 0)),
    [h, w],
  );
  const { labels, count } = labelComponents(above, { connectivity: 8 });
  const mass = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) mass[labels[i]] += mean[i];
  let best = 1;
  for (let l = 2; l <= count; l++) if (mass[l] > mass[best]) best = l;
  return Uint8Array.from(labels, (l) => (l === best ? 1 : 0));
}

/** The component of one slice's map that agrees most with the consensus (probability mass inside it), or null. */
function agreeingCandidate(
  values: ArrayLike<number>,
  h: number,
  w: number,
  threshold: number,
  consensus: Uint8Array,
  mean: Float64Array,
): Candidate | null {
  const fg = ndarray(
    Uint8Array.from(values as ArrayLike<number>, (v) => (v >= threshold ? 1 : 0)),
    [h, w],
  );
  const { labels, count } = labelComponents(fg, { connectivity: 8 });
  if (count === 0) return null;
  const agreement = new Float64Array(count + 1);
  for (let i = 0; i < labels.length; i++) if (labels[i] && consensus[i]) agreement[labels[i]] += mean[i];
  let best = 0;
  for (let l = 1; l <= count; l++) if (agreement[l] > agreement[best]) best = l;
  if (best === 0) return null;
  const box = { y0: h, x0: w, y1: 0, x1: 0 };
  let area = 0;
  let peak = 0;
  for (let i = 0; i < labels.length; i++) {
    if (labels[i] !== best) continue;
    const y = Math.floor(i / w);
    const x = i - y * w;
    box.y0 = Math.min(box.y0, y);
    box.x0 = Math.min(box.x0, x);
    box.y1 = Math.max(box.y1, y + 1);
    box.x1 = Math.max(box.x1, x + 1);
    area++;
    peak = Math.max(peak, values[i]);
  }
  return { label: best, labels, box, area, peak };
}

/** Whether a slice's box agrees with its accepted neighbours (or, with none, with the consensus). */
function agreesWithNeighbours(
  z: number,
  picks: readonly (Candidate | null)[],
  consensus: Box,
  o: Required<RegionTrackOptions>,
): boolean {
  const near: Box[] = [];
  for (let k = Math.max(0, z - o.neighbours); k <= Math.min(picks.length - 1, z + o.neighbours); k++) {
    const c = picks[k];
    if (k !== z && c) near.push(c.box);
  }
  const ref = near.length > 0 ? near : [consensus];
  const box = (picks[z] as Candidate).box;
  const shift = Math.hypot(centreY(box) - median(ref.map(centreY)), centreX(box) - median(ref.map(centreX)));
  const ratio = sizeOf(box) / median(ref.map(sizeOf));
  return shift <= o.maxShift * sizeOf(consensus) && ratio <= o.maxSizeRatio && ratio >= 1 / o.maxSizeRatio;
}

/** The box at slice `z` on the straight line between the boxes of slices `a` and `b`, clipped to the image. */
function interpolatedBox(z: number, a: number, boxA: Box, b: number, boxB: Box, h: number, w: number): Box {
  const t = b === a ? 0 : (z - a) / (b - a);
  const lerp = (u: number, v: number) => u + (v - u) * t;
  const cy = lerp(centreY(boxA), centreY(boxB));
  const cx = lerp(centreX(boxA), centreX(boxB));
  const hy = lerp(boxA.y1 - boxA.y0, boxB.y1 - boxB.y0) / 2;
  const hx = lerp(boxA.x1 - boxA.x0, boxB.x1 - boxB.x0) / 2;
  const clip = (v: number, n: number) => Math.min(n, Math.max(0, Math.round(v)));
  return { y0: clip(cy - hy, h), x0: clip(cx - hx, w), y1: clip(cy + hy, h), x1: clip(cx + hx, w) };
}

function boxMask(box: Box, h: number, w: number): Mask {
  const out = new Uint8Array(h * w);
  for (let y = box.y0; y < box.y1; y++) out.fill(1, y * w + box.x0, y * w + box.x1);
  return ndarray(out, [h, w]);
}

/**
 * Step 1 for a whole stack: fuses the localizer's maps of all slices (and cine frames) of one short-axis stack into
 * regions that agree across the stack, because the heart hardly moves between slices while a per-slice localizer
 * sometimes lands on another structure.
 *
 * 1. Consensus: the mean map over all slices and frames, thresholded at half its maximum; its component with the
 *    most probability mass.
 * 2. Per slice, the component of its thresholded map with the most consensus mass inside the consensus (not
 *    simply the largest); none when no component touches the consensus.
 * 3. Weak evidence (peak below `minPeak`, or area below `minAreaFraction` of the stack's median) is not accepted,
 *    nor a box whose centre or size disagrees with its accepted neighbours' (within `neighbours` slices).
 * 4. Per frame, slices outside the first…last accepted slice are `absent` (empty region); those between that were
 *    not accepted get the box interpolated between the nearest accepted slices on either side.
 *
 * @param maps - `maps[t][z]`: the localizer's foreground probabilities `[H, W]` at the image's size, values in
 *   [0, 1]; every frame has the same slices, every map the same shape. One frame is a plain stack.
 * @returns one region per frame and slice; all `absent` when no map has any foreground (or `maps` is empty).
 * @throws RangeError when the frames differ in slice count or the maps in shape, or an option is out of range.
 */
export function regionTrack(
  maps: readonly (readonly NumericNdArray[])[],
  options: RegionTrackOptions = {},
): RegionTrack {
  const o: Required<RegionTrackOptions> = {
    threshold: 0.5,
    maxShift: 0.35,
    maxSizeRatio: 2,
    neighbours: 2,
    minPeak: 0.6,
    minAreaFraction: 0.2,
    ...options,
  };
  if (!(o.threshold > 0 && o.threshold < 1))
    throw new RangeError(`regionTrack: threshold must lie in (0, 1), got ${o.threshold}`);
  if (!(o.maxShift > 0 && o.maxSizeRatio >= 1 && Number.isInteger(o.neighbours) && o.neighbours >= 1)) {
    throw new RangeError(
      `regionTrack: expected maxShift > 0, maxSizeRatio ≥ 1 and an integer neighbours ≥ 1, got ${o.maxShift}, ${o.maxSizeRatio}, ${o.neighbours}`,
    );
  }
  const depth = maps[0]?.length ?? 0;
  const shape = maps[0]?.[0]?.shape ?? [0, 0];
  const [h, w] = shape;
  maps.forEach((frame, t) => {
    if (frame.length !== depth)
      throw new RangeError(`regionTrack: frame ${t} has ${frame.length} slices, frame 0 has ${depth}`);
    frame.forEach((m, z) => {
      if (m.shape.length !== 2 || m.shape[0] !== h || m.shape[1] !== w) {
        throw new RangeError(
          `regionTrack: map [${t}][${z}] is [${m.shape.join(', ')}], expected [${h}, ${w}] like map [0][0]`,
        );
      }
    });
  });
  const values = maps.map((frame) => frame.map((m) => packedValues(m, h, w)));
  const mean = new Float64Array(h * w);
  const n = maps.length * depth;
  for (const frame of values)
    for (const v of frame) for (let i = 0; i < mean.length; i++) mean[i] += v[i] / n;
  const consensus = n > 0 ? consensusRegion(mean, h, w) : null;
  const empty = () => ndarray(new Uint8Array(h * w), [h, w]);
  if (!consensus) {
    return {
      regions: maps.map((f) => f.map(empty)),
      boxes: maps.map((f) => f.map(() => null)),
      status: maps.map((f) => f.map(() => 'absent' as const)),
      consensus: null,
    };
  }
  const consensusBox = boundingBox(ndarray(consensus, [h, w])) as Box;
  const picks = values.map((frame) =>
    frame.map((v) => agreeingCandidate(v, h, w, o.threshold, consensus, mean)),
  );
  const medianArea = median(picks.flat().flatMap((c) => (c ? [c.area] : [])));
  const strong = picks.map((frame) =>
    frame.map((c) => (c && c.peak >= o.minPeak && c.area >= o.minAreaFraction * medianArea ? c : null)),
  );
  const track: RegionTrack = { regions: [], boxes: [], status: [], consensus: consensusBox };
  for (const frame of strong) {
    const accepted = frame.map((c, z) => (c && agreesWithNeighbours(z, frame, consensusBox, o) ? c : null));
    const kept = accepted.flatMap((c, z) => (c ? [z] : []));
    const regions: Mask[] = [];
    const boxes: (Box | null)[] = [];
    const status: SliceLocalization[] = [];
    for (let z = 0; z < depth; z++) {
      const c = accepted[z];
      if (c) {
        regions.push(
          ndarray(
            Uint8Array.from(c.labels, (l) => (l === c.label ? 1 : 0)),
            [h, w],
          ),
        );
        boxes.push(c.box);
        status.push('component');
        continue;
      }
      const below = kept.filter((k) => k < z).at(-1);
      const above = kept.find((k) => k > z);
      if (below === undefined || above === undefined) {
        regions.push(empty());
        boxes.push(null);
        status.push('absent');
        continue;
      }
      const box = interpolatedBox(
        z,
        below,
        (accepted[below] as Candidate).box,
        above,
        (accepted[above] as Candidate).box,
        h,
        w,
      );
      regions.push(boxMask(box, h, w));
      boxes.push(box);
      status.push('interpolated');
    }
    track.regions.push(regions);
    track.boxes.push(boxes);
    track.status.push(status);
  }
  return track;
}
