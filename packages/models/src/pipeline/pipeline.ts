import {
  type Affine,
  type AxisCodes,
  type Box,
  isIdentityReorientation,
  largestConnectedComponent,
  type Mask,
  type NumericNdArray,
  PAPER_FRAME,
  pasteMask,
  type Reorientation,
  reorient,
  reorientation,
  reorientSpacing,
  resize,
  restoreMask,
  restoreOrientation,
  type SigmaRegression,
  type Spacing,
} from '@myoseg/core';
import ndarray from 'ndarray';
import { cropAroundRegion, thresholdMap } from './crop-region';
import {
  type RegionTrackOptions,
  regionFromProbabilities,
  regionTrack,
  type SliceLocalization,
} from './localize';
import type { SegmentationStage } from './stage';

/** Settings of a {@link MyocardiumPipeline}. */
export interface PipelineOptions {
  /** Step 1: finds the myocardium + LV region. */
  localizer: SegmentationStage;
  /** Step 3: segments the myocardium in the crop. */
  cropSegmenter: SegmentationStage;
  /** Step 4's σ: a fitted regression on the crop width, or a fixed σ in pixels (0 = no blur). */
  sigma: SigmaRegression | number;
  /** The crop's frame as a fraction of the region's larger side (default `PAPER_FRAME`, 0.15). */
  frame?: number;
  /** Probability threshold of both stages (default 0.5). */
  threshold?: number;
  /**
   * Keep only the largest 8-connected component of the segmenter's mask, before it is restored (default false,
   * as in the paper).
   */
  largestComponent?: boolean;
  /**
   * Refinement passes after the first (default 0, as in the paper): each crops again around the previous pass's
   * myocardium (with the frame) and segments that crop, which corrects crops that a coarse localizer made too
   * large or off-centre. A pass that finds no myocardium keeps the previous result.
   */
  refinePasses?: number;
  /**
   * The orientation the networks were trained in, as axis codes of the training volumes' affines (e.g. `'RAS'`).
   * With it, {@link MyocardiumPipeline.segmentVolume} turns a stack given with its affine to this orientation
   * first. Absent: stacks are segmented in their stored voxel order.
   */
  orientation?: AxisCodes;
}

/** Where the time of one {@link MyocardiumPipeline.segment} call went, in ms. */
export interface SegmentTimings {
  /** Resizing, normalizing and running the localizer. */
  localizeMs: number;
  /** Cropping, resizing and running the segmenter. */
  segmentMs: number;
  /** Restoring (resize, blur, threshold) and pasting the mask. */
  restoreMs: number;
  /** The whole call (per image, when batched: the batch's time divided by its size). */
  totalMs: number;
}

/** What {@link MyocardiumPipeline.segment} returns for one slice. */
export interface SegmentResult {
  /** The myocardium mask at the input's size `[H, W]`. */
  mask: Mask;
  /** The localizer's region (myocardium ∪ LV cavity) at the input's size `[H, W]`. */
  regionMask: Mask;
  /**
   * The square crop in image pixels (may reach past the edge) of the last pass (see
   * {@link PipelineOptions.refinePasses}); `null` when nothing was found.
   */
  cropBox: Box | null;
  /** The σ used to restore the mask; `null` when nothing was found. */
  sigma: number | null;
  /** The segmenter's 0/1 mask at its input size (before restoring), of the last pass; absent when nothing was found. */
  lowRes?: Mask;
  /** False when the localizer found no region: then both masks are empty. */
  found: boolean;
  /** Myocardium area in mm² (when `spacing` was given). */
  areaMm2?: number;
  /** Where the time went. */
  timings: SegmentTimings;
}

/** Options of {@link MyocardiumPipeline.segmentVolume} and {@link MyocardiumPipeline.segmentCine}. */
export interface VolumeSegmentOptions {
  /** `[dz, dy, dx]` in mm, for `volumeMl` and each slice's `areaMm2`. */
  spacing?: readonly [number, number, number];
  /**
   * Localize the stack as a whole ({@link regionTrack}: regions that agree across slices and frames, none on
   * apical/basal slices without evidence) instead of slice by slice. Default `true`; an object sets the track's
   * options (its threshold is the segmenter's). `false` is exactly {@link MyocardiumPipeline.segmentBatch} on the
   * slices, the paper's method.
   */
  volumeConsistent?: boolean | Omit<RegionTrackOptions, 'threshold'>;
  /**
   * The stack's voxel `(i, j, k)` → RAS+ world affine (4×4, as `readNifti` gives it). When the pipeline knows its
   * {@link PipelineOptions.orientation}, the stack is permuted and flipped to it before localization
   * (`reorientation` of `@myoseg/core`), and the mask is turned back onto the stack's own grid. Absent: stored voxel order.
   */
  affine?: Affine;
}

/** The outcome of {@link MyocardiumPipeline.segmentVolume}: one stack (one cine frame). */
export interface VolumeResult {
  /** The myocardium mask `[D, H, W]`. */
  mask: Mask;
  /** One result per slice. */
  slices: SegmentResult[];
  /** Myocardial volume in ml (when `spacing` `[dz, dy, dx]` was given). */
  volumeMl?: number;
  /** How each slice's region was decided (volume-consistent localization only; absent with `volumeConsistent: false`). */
  localization?: SliceLocalization[];
  /**
   * Present when the stack was turned to the networks' orientation: how. `mask` is on the stack's own grid; `slices`
   * and `localization` are then the slices of the turned stack (`mask` of `restoreOrientation` of their masks).
   */
  reorientation?: Reorientation;
}

function checkSpacing(what: string, spacing: readonly number[] | undefined, names: string): void {
  if (spacing && (spacing.length !== names.split(',').length || !spacing.every((s) => s > 0))) {
    throw new RangeError(`${what}: spacing must be [${names}] in mm (> 0), got [${spacing.join(', ')}]`);
  }
}

/**
 * The method, end to end: localize → square crop with a frame → segment at the segmenter's size → restore with
 * the regressed Gaussian σ → paste back. Works on slices of any size; batches under the hood.
 */
export class MyocardiumPipeline {
  /** The localizer stage. */
  readonly localizer: SegmentationStage;
  /** Step 3, the crop segmenter stage. */
  readonly cropSegmenter: SegmentationStage;
  /** The σ rule. */
  readonly sigma: SigmaRegression | number;
  /** The crop frame. */
  readonly frame: number;
  /** The probability threshold. */
  readonly threshold: number;
  /** Whether the segmenter's mask keeps only its largest connected component. */
  readonly largestComponent: boolean;
  /** Refinement passes after the first. */
  readonly refinePasses: number;
  /** The networks' orientation, when known (see {@link PipelineOptions.orientation}). */
  readonly orientation: AxisCodes | undefined;

  /** @param options - the two stages, the σ rule and the crop settings. */
  constructor(options: PipelineOptions) {
    const { frame = PAPER_FRAME, threshold = 0.5 } = options;
    if (!(frame >= 0 && Number.isFinite(frame)))
      throw new RangeError(`MyocardiumPipeline: frame must be ≥ 0, got ${frame}`);
    if (!(threshold > 0 && threshold < 1)) {
      throw new RangeError(`MyocardiumPipeline: threshold must lie in (0, 1), got ${threshold}`);
    }
    if (typeof options.sigma === 'number' && !(options.sigma >= 0 && Number.isFinite(options.sigma))) {
      throw new RangeError(`MyocardiumPipeline: a fixed sigma must be ≥ 0, got ${options.sigma}`);
    }
    this.localizer = options.localizer;
    this.cropSegmenter = options.cropSegmenter;
    this.sigma = options.sigma;
    this.frame = frame;
    this.threshold = threshold;
    this.largestComponent = options.largestComponent ?? false;
    const { refinePasses = 0 } = options;
    if (!(Number.isInteger(refinePasses) && refinePasses >= 0))
      throw new RangeError(`MyocardiumPipeline: refinePasses must be an integer ≥ 0, got ${refinePasses}`);
    this.refinePasses = refinePasses;
    this.orientation = options.orientation;
  }

  /** The σ for a crop `width` pixels wide. */
  sigmaFor(width: number): number {
    return typeof this.sigma === 'number' ? this.sigma : this.sigma.predict(width);
  }

  /**
   * Segments one 2D slice.
   *
   * @param image - `[H, W]` intensities, any size and units.
   * @param options.spacing - `[dy, dx]` in mm, for `areaMm2`.
   * @returns the full-size myocardium mask and how it was found; an empty mask with `found: false` when the
   *   localizer finds nothing.
   */
  async segment(image: NumericNdArray, options: { spacing?: Spacing } = {}): Promise<SegmentResult> {
    const [result] = await this.segmentBatch([image], options);
    return result;
  }

  /**
   * Segments several 2D slices (any sizes), running each network once per batch.
   *
   * @param images - `[H, W]` each.
   * @param options.spacing - `[dy, dx]` in mm, shared by all images, for `areaMm2`.
   */
  async segmentBatch(
    images: readonly NumericNdArray[],
    options: { spacing?: Spacing } = {},
  ): Promise<SegmentResult[]> {
    images.forEach((img, i) => {
      if (img.shape.length !== 2 || img.shape[0] < 1 || img.shape[1] < 1) {
        throw new RangeError(
          `segment: image ${i} must be a 2D [H, W] array, got shape [${img.shape.join(', ')}]`,
        );
      }
    });
    checkSpacing('segment', options.spacing, 'dy, dx');
    const t0 = performance.now();
    const probs = await localize(this, images);
    const regions = probs.map((p, i) =>
      regionFromProbabilities(p, [images[i].shape[0], images[i].shape[1]], this.threshold),
    );
    return segmentRegions(this, images, regions, t0, options.spacing);
  }

  /**
   * Segments a stack of short-axis slices, localized as a whole by default (see
   * {@link VolumeSegmentOptions.volumeConsistent}).
   *
   * @param volume - `[D, H, W]`; with `options.affine`, in any voxel order (it is turned to the networks').
   * @returns the `[D, H, W]` mask and one result per slice; slices judged apical/basal without myocardium have
   *   empty masks and `found: false`.
   */
  async segmentVolume(volume: NumericNdArray, options: VolumeSegmentOptions = {}): Promise<VolumeResult> {
    if (volume.shape.length !== 3) {
      throw new RangeError(`segmentVolume: volume must be [D, H, W], got shape [${volume.shape.join(', ')}]`);
    }
    const [result] = await segmentStacks(this, [volume], options);
    return result;
  }

  /**
   * Segments several cine frames of one stack; the volume-consistent localization fuses the localizer's maps of
   * all frames and slices (the heart's position hardly changes over the cycle).
   *
   * @param cine - `[T, D, H, W]`; `options.affine` is that of each frame.
   * @returns one result per frame, in order.
   */
  async segmentCine(cine: NumericNdArray, options: VolumeSegmentOptions = {}): Promise<VolumeResult[]> {
    if (cine.shape.length !== 4) {
      throw new RangeError(`segmentCine: cine must be [T, D, H, W], got shape [${cine.shape.join(', ')}]`);
    }
    return segmentStacks(
      this,
      Array.from({ length: cine.shape[0] }, (_, t) => cine.pick(t, null, null, null)),
      options,
    );
  }
}

/** The localizer's probability maps at its input size, one per image. */
async function localize(
  seg: MyocardiumPipeline,
  images: readonly NumericNdArray[],
): Promise<NumericNdArray[]> {
  const locSize = seg.localizer.inputSize;
  return seg.localizer.predict(images.map((img) => resize(img, [locSize[0], locSize[1]])));
}

/**
 * Steps 2–5 around given regions: crop, segment, restore, paste (with the refinement passes); `t0` is when
 * localization started, for the timings.
 */
async function segmentRegions(
  seg: MyocardiumPipeline,
  images: readonly NumericNdArray[],
  regions: readonly Mask[],
  t0: number,
  spacing: Spacing | undefined,
): Promise<SegmentResult[]> {
  const t1 = performance.now();
  const results: SegmentResult[] = images.map((img, i) => {
    const shape: [number, number] = [img.shape[0], img.shape[1]];
    return {
      mask: ndarray(new Uint8Array(shape[0] * shape[1]), shape),
      regionMask: regions[i],
      cropBox: null,
      sigma: null,
      found: false,
      timings: { localizeMs: 0, segmentMs: 0, restoreMs: 0, totalMs: 0 },
    };
  });
  // pass 0 crops around the localizer's regions; each refinement pass around the previous pass's mask
  let around: readonly Mask[] = regions;
  let pending = images.map((_, i) => i);
  let segmentMs = 0;
  for (let pass = 0; pass <= seg.refinePasses && pending.length > 0; pass++) {
    const ta = performance.now();
    const crops = pending.flatMap((i) => {
      const c = cropAroundRegion(images[i], around[i], seg.frame);
      return c ? [{ i, ...c }] : [];
    });
    const segSize = seg.cropSegmenter.inputSize;
    const segProbs = await seg.cropSegmenter.predict(
      crops.map((c) => resize(c.crop, [segSize[0], segSize[1]])),
    );
    segmentMs += performance.now() - ta;
    const next: Mask[] = [...around];
    pending = [];
    crops.forEach((c, k) => {
      const side = c.box.x1 - c.box.x0;
      const sigma = seg.sigmaFor(side);
      const thresholded = thresholdMap(segProbs[k], seg.threshold);
      const lowRes = seg.largestComponent ? largestConnectedComponent(thresholded) : thresholded;
      const mask = pasteMask(restoreMask(lowRes, [side, side], { sigma }), c.box, [
        images[c.i].shape[0],
        images[c.i].shape[1],
      ]);
      // a refinement that loses the myocardium keeps the previous pass's result
      if (pass > 0 && !mask.data.includes(1)) return;
      Object.assign(results[c.i], { mask, cropBox: c.box, lowRes, sigma, found: true });
      next[c.i] = mask;
      pending.push(c.i);
    });
    around = next;
  }
  const t3 = performance.now();
  const n = images.length || 1;
  for (const r of results) {
    r.timings = {
      localizeMs: (t1 - t0) / n,
      segmentMs: segmentMs / n,
      restoreMs: (t3 - t1 - segmentMs) / n,
      totalMs: (t3 - t0) / n,
    };
    if (spacing) r.areaMm2 = r.mask.data.reduce((a, b) => a + b, 0) * spacing[0] * spacing[1];
  }
  return results;
}

/**
 * Segments stacks `[D, H, W]` of the same shape, localized together unless `volumeConsistent` is false, turned to
 * the networks' orientation when the options give an affine.
 */
async function segmentStacks(
  seg: MyocardiumPipeline,
  stacks: readonly NumericNdArray[],
  options: VolumeSegmentOptions,
): Promise<VolumeResult[]> {
  checkSpacing('segmentVolume', options.spacing, 'dz, dy, dx');
  const turn =
    options.affine && seg.orientation && stacks.length > 0
      ? reorientation(options.affine, seg.orientation, options.spacing)
      : undefined;
  if (!turn || isIdentityReorientation(turn)) return segmentStacksAsStored(seg, stacks, options);
  const spacing = options.spacing && reorientSpacing(options.spacing, turn);
  const results = await segmentStacksAsStored(
    seg,
    stacks.map((v) => reorient(v, turn)),
    { ...options, spacing },
  );
  return results.map((r) => ({ ...r, mask: restoreOrientation(r.mask, turn), reorientation: turn }));
}

/** {@link segmentStacks} on stacks in their stored voxel order. */
async function segmentStacksAsStored(
  seg: MyocardiumPipeline,
  stacks: readonly NumericNdArray[],
  options: VolumeSegmentOptions,
): Promise<VolumeResult[]> {
  const { spacing, volumeConsistent = true } = options;
  const [d, h, w] = stacks[0]?.shape ?? [0, 0, 0];
  const slices = stacks.flatMap((v) => Array.from({ length: d }, (_, z) => v.pick(z, null, null)));
  const sliceSpacing: Spacing | undefined = spacing && [spacing[1], spacing[2]];
  let results: SegmentResult[];
  let localization: SliceLocalization[][] | undefined;
  if (volumeConsistent === false) results = await seg.segmentBatch(slices, { spacing: sliceSpacing });
  else {
    if (slices.length > 0 && !(h >= 1 && w >= 1))
      throw new RangeError(`segmentVolume: slices must be at least 1×1, got [${h}, ${w}]`);
    const t0 = performance.now();
    const maps = (await localize(seg, slices)).map((p) => resize(p, [h, w], { method: 'bilinear' }));
    const track = regionTrack(
      stacks.map((_, t) => maps.slice(t * d, (t + 1) * d)),
      { ...(volumeConsistent === true ? {} : volumeConsistent), threshold: seg.threshold },
    );
    results = await segmentRegions(seg, slices, track.regions.flat(), t0, sliceSpacing);
    localization = track.status;
  }
  return stacks.map((_, t) => {
    const mine = results.slice(t * d, (t + 1) * d);
    const data = new Uint8Array(d * h * w);
    mine.forEach((r, z) => {
      data.set(r.mask.data, z * h * w);
    });
    const out: VolumeResult = { mask: ndarray(data, [d, h, w]), slices: mine };
    if (spacing)
      out.volumeMl = (data.reduce((a, b) => a + b, 0) * spacing[0] * spacing[1] * spacing[2]) / 1000;
    if (localization) out.localization = localization[t];
    return out;
  });
}
