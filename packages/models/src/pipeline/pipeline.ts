import {
  type Affine,
  type AxisCodes,
  type Box,
  type Mask,
  type NumericNdArray,
  PAPER_FRAME,
  type Reorientation,
  type SigmaRegression,
  type Spacing,
} from '@myoseg/core';
import { type RegionTrackOptions, regionFromProbabilities, type SliceLocalization } from './localize';
import { segmentStacks } from './segment-stacks';
import { checkSpacing, clipSlices, localize, segmentRegions } from './segment-steps';
import type { SegmentationStage } from './stage';

/** {@link PipelineOptions.clipPercentiles}' default: nnU-Net's clip of CT intensities. */
const DEFAULT_CLIP_PERCENTILES: readonly [number, number] = Object.freeze([0.5, 99.5] as const);

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
  /**
   * Before anything else, each slice's intensities are clipped to these two of its own percentiles
   * (`clipIntensities` of `@myoseg/core`), so that a few hot pixels cannot set the scale of the networks'
   * per-image normalization. Default `[0.5, 99.5]`; `false` keeps the intensities as given.
   */
  clipPercentiles?: readonly [number, number] | false;
}

/** Where the time of one {@link MyocardiumPipeline.segment} call went, in ms. */
export interface SegmentTimings {
  /** Clipping, resizing, normalizing and running the localizer. */
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
   * The localizer's second look (volume-consistent localization only): it runs again on a square window centred on
   * the first look's consensus region, `refocus` times that region's larger side (at least the localizer's input
   * side), and its maps, 0 outside the window, make the track. A heart that is small in a large field of view is
   * then seen larger, and structures far from it are cut off. Skipped when the window would reach the image's
   * larger side, or when the first look finds nothing. Default 5; `false`: one look.
   */
  refocus?: number | false;
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
  /** The percentiles each slice is clipped to first, or `false` (see {@link PipelineOptions.clipPercentiles}). */
  readonly clipPercentiles: readonly [number, number] | false;

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
    const { clipPercentiles = DEFAULT_CLIP_PERCENTILES } = options;
    if (clipPercentiles !== false) {
      const [lower, upper] = clipPercentiles;
      if (!(lower >= 0 && lower <= upper && upper <= 100))
        throw new RangeError(
          `MyocardiumPipeline: clipPercentiles must be [lower, upper] with 0 ≤ lower ≤ upper ≤ 100, or false, got [${clipPercentiles.join(', ')}]`,
        );
    }
    this.clipPercentiles = clipPercentiles;
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
    const clipped = clipSlices(this, images);
    const probs = await localize(this, clipped);
    const regions = probs.map((p, i) =>
      regionFromProbabilities(p, [images[i].shape[0], images[i].shape[1]], this.threshold),
    );
    return segmentRegions(this, clipped, regions, t0, options.spacing);
  }

  /**
   * Segments a stack of short-axis slices, localized as a whole by default (see
   * {@link VolumeSegmentOptions.volumeConsistent}), with a second look of the localizer where its first region is
   * small against the image ({@link VolumeSegmentOptions.refocus}).
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
