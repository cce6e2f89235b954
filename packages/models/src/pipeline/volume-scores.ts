import { dice, hausdorffDistance, type NumericNdArray, volumeMl } from '@myoseg/core';
import type { NdArray } from 'ndarray';

/** Myocardial tissue density used for mass: 1.05 g/ml. */
export const MYOCARDIUM_DENSITY_G_PER_ML = 1.05;

/** One annotated short-axis stack (one frame of a patient) with all its slices, as the whole-volume view scores it. */
export interface LabeledVolume {
  /** Intensities `[D, H, W]`, any units. */
  image: NdArray<Float32Array>;
  /** ACDC label map `[D, H, W]`: 0 background, 1 RV, 2 myocardium, 3 LV cavity. */
  mask: NdArray<Uint8Array>;
  /** Patient id. */
  patientId: string;
  /** ACDC group (NOR, MINF, DCM, HCM, RV). */
  group?: string;
  /** Cardiac phase of the frame. */
  phase: 'ED' | 'ES';
  /** Voxel size `[dz, dy, dx]` in mm (slice gap first). */
  spacing: readonly [number, number, number];
  /** Voxel → world affine (4×4): with it, a pipeline that records its orientation turns the stack to it first. */
  affine?: number[][];
}

/** The scores of one predicted myocardium volume against its truth. */
export interface VolumeScore {
  /** 3D Dice over all slices. */
  dice: number;
  /** 3D HD95 in mm (0 when both masks are empty, +∞ when exactly one is). */
  hd95Mm: number;
  /** 3D Hausdorff distance in mm (0 when both masks are empty, +∞ when exactly one is). */
  hdMm: number;
  /** Predicted myocardial volume, ml. */
  volumeMl: number;
  /** True myocardial volume, ml. */
  trueVolumeMl: number;
  /** Predicted myocardial mass, g (at {@link MYOCARDIUM_DENSITY_G_PER_ML}). */
  massG: number;
  /** True myocardial mass, g. */
  trueMassG: number;
}

/** A {@link VolumeScore} with the frame it belongs to. */
export interface FrameScore extends VolumeScore {
  /** Patient id. */
  patientId: string;
  /** ACDC group (`unknown` when not known). */
  group: string;
  /** Cardiac phase. */
  phase: 'ED' | 'ES';
}

/** Means of {@link FrameScore}s over a set of frames. */
export interface VolumeSummary {
  /** Frames averaged. */
  frames: number;
  /** Mean 3D Dice. */
  dice: number;
  /** Mean 3D HD95 in mm over the frames where it is finite. */
  hd95Mm: number;
  /** Mean 3D HD in mm over the frames where it is finite. */
  hdMm: number;
  /** Frames whose HD is +∞ (one mask empty, the other not). */
  infiniteHd: number;
  /** Mean signed volume error (predicted − true), ml. */
  volumeErrorMl: number;
  /** Mean absolute volume error, ml. */
  absVolumeErrorMl: number;
  /** Mean signed mass error (predicted − true), g. */
  massErrorG: number;
  /** Mean absolute mass error, g. */
  absMassErrorG: number;
}

/** {@link VolumeSummary}s of all frames, per ACDC group and per phase (keys sorted). */
export interface VolumeTable {
  /** All frames. */
  all: VolumeSummary;
  /** Per ACDC group. */
  byGroup: Record<string, VolumeSummary>;
  /** Per phase (`ED`, `ES`). */
  byPhase: Record<string, VolumeSummary>;
}

/**
 * Scores a predicted myocardium volume against the truth over all its slices: 3D Dice, HD95 and HD (mm, with the
 * slice gap), myocardial volume (ml) and mass (g).
 *
 * @param predicted - 0/1 mask `[D, H, W]`; any non-zero value is myocardium.
 * @param truth - 0/1 mask of the same shape.
 * @param spacing - `[dz, dy, dx]` in mm.
 * @throws ShapeMismatchError when the shapes differ; RangeError for a bad spacing.
 */
export function scoreVolume(
  predicted: NumericNdArray,
  truth: NumericNdArray,
  spacing: readonly [number, number, number],
): VolumeScore {
  const v = volumeMl(predicted, spacing);
  const tv = volumeMl(truth, spacing);
  return {
    dice: dice(predicted, truth),
    hd95Mm: hausdorffDistance(predicted, truth, { percentile: 95, spacing }),
    hdMm: hausdorffDistance(predicted, truth, { spacing }),
    volumeMl: v,
    trueVolumeMl: tv,
    massG: v * MYOCARDIUM_DENSITY_G_PER_ML,
    trueMassG: tv * MYOCARDIUM_DENSITY_G_PER_ML,
  };
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** Means over frames; NaN (null in JSON) where there is nothing to average. */
function summarize(frames: readonly FrameScore[]): VolumeSummary {
  const finite = (key: 'hd95Mm' | 'hdMm') => frames.map((f) => f[key]).filter(Number.isFinite);
  return {
    frames: frames.length,
    dice: mean(frames.map((f) => f.dice)),
    hd95Mm: mean(finite('hd95Mm')),
    hdMm: mean(finite('hdMm')),
    infiniteHd: frames.filter((f) => !Number.isFinite(f.hdMm)).length,
    volumeErrorMl: mean(frames.map((f) => f.volumeMl - f.trueVolumeMl)),
    absVolumeErrorMl: mean(frames.map((f) => Math.abs(f.volumeMl - f.trueVolumeMl))),
    massErrorG: mean(frames.map((f) => f.massG - f.trueMassG)),
    absMassErrorG: mean(frames.map((f) => Math.abs(f.massG - f.trueMassG))),
  };
}

/**
 * The whole-volume view's table: means over all frames, per ACDC group and per phase.
 *
 * @param frames - scored frames; an empty list gives `all.frames` 0, NaN means and no groups or phases.
 */
export function summarizeFrames(frames: readonly FrameScore[]): VolumeTable {
  const by = (key: 'group' | 'phase') =>
    Object.fromEntries(
      [...new Set(frames.map((f) => f[key]))]
        .sort()
        .map((k) => [k, summarize(frames.filter((f) => f[key] === k))]),
    );
  return { all: summarize(frames), byGroup: by('group'), byPhase: by('phase') };
}
