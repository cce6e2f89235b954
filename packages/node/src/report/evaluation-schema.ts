import type { FrameScore, VolumeSummary } from '@myoseg/models';
import * as v from 'valibot';
import { count, finite, object, record } from './json-fields';

const dice = finite(0, 1);
const signed = finite();
const amount = finite(0);
const DISTANCE = 'be a number ≥ 0 (mm), or null for +∞';
const nan = v.nan();

/** A distance in mm; JSON writes +∞ (one mask empty, the other not) as null, read back as +∞. */
const distance = v.pipe(
  v.unknown(),
  v.transform((x) => (x === null ? Number.POSITIVE_INFINITY : x)),
  v.number(DISTANCE),
  v.minValue(0, DISTANCE),
);

/** A mean that `schema` checks; JSON writes NaN (a mean over nothing) as null, read back as NaN. */
const mean = <S extends v.GenericSchema<unknown, number>>(schema: S) =>
  v.pipe(
    v.unknown(),
    v.transform((x) => (x === null ? Number.NaN : x)),
    v.lazy((x) => (Number.isNaN(x) ? nan : schema)),
  );

const phase = v.picklist(['ED', 'ES']);

/** Checks an {@link EvaluatedSlice}. */
export const EvaluatedSliceSchema = object({
  /** Patient folder name. */
  patientId: v.string(),
  /** ACDC group. */
  group: v.string(),
  /** Cardiac phase. */
  phase,
  /** Slice index in the volume. */
  slice: count,
  /** Dice of the myocardium, in [0, 1]. */
  dice,
  /** HD95 in mm (+∞ when one mask is empty). */
  hd95Mm: distance,
});

/** One slice's scores in `myoseg evaluate` (the slice-level view). */
export type EvaluatedSlice = v.InferOutput<typeof EvaluatedSliceSchema>;

const FrameScoreSchema: v.GenericSchema<unknown, FrameScore> = object({
  patientId: v.string(),
  group: v.string(),
  phase,
  dice,
  hd95Mm: distance,
  hdMm: distance,
  volumeMl: amount,
  trueVolumeMl: amount,
  massG: amount,
  trueMassG: amount,
});

const VolumeSummarySchema: v.GenericSchema<unknown, VolumeSummary> = object({
  frames: count,
  dice: mean(dice),
  hd95Mm: mean(amount),
  hdMm: mean(amount),
  infiniteHd: count,
  volumeErrorMl: mean(signed),
  absVolumeErrorMl: mean(amount),
  massErrorG: mean(signed),
  absMassErrorG: mean(amount),
});

const volumes = record(VolumeSummarySchema);

/** Checks an {@link EvaluationSummary}. */
export const EvaluationSummarySchema = object({
  /** Patients with at least one scored frame. */
  patients: count,
  /** Slices scored in the slice-level view. */
  slices: count,
  /** Mean 2D Dice over those slices (0 when there are none). */
  meanSliceDice: mean(dice),
  /** Mean 3D Dice over the frames (0 when there are none). */
  meanFrameDice: mean(dice),
  /** Mean 2D HD95 in mm over the slices where it is finite (0 when there are none). */
  meanHd95Mm: mean(amount),
  /** Mean absolute myocardial volume error over the frames, ml. */
  meanAbsVolumeErrorMl: mean(amount),
  /** Mean absolute myocardial mass error over the frames, g. */
  meanAbsMassErrorG: mean(amount),
  /** Patients (or files) that could not be read or segmented, with why. */
  failed: v.array(
    object({
      /** The patient (or file). */
      patient: v.string(),
      /** Why it failed. */
      error: v.string(),
    }),
  ),
  /** Patients whose images held non-finite voxels (NaN, ±∞), replaced before scoring, with how many. */
  nonFinite: v.array(
    object({
      /** The patient. */
      patient: v.string(),
      /** Voxels replaced. */
      voxels: count,
    }),
  ),
  /** How stacks were localized: as volumes (the default) or slice by slice (`--per-slice`, the paper's path). */
  localization: v.picklist(['volume', 'per-slice']),
  /** Which slices the slice-level view scores: all with ground truth, or those the paper's filters keep. */
  sliceView: v.picklist(['all', 'filtered']),
  /** Frames scored in 3D. */
  frames: count,
  /** Mean 3D HD95 in mm over the frames where it is finite (NaN when there is none). */
  meanFrameHd95Mm: mean(amount),
  /** Mean 3D Hausdorff distance in mm over the frames where it is finite (NaN when there is none). */
  meanFrameHdMm: mean(amount),
  /** Frames whose Hausdorff distance is +∞ (one mask empty, the other not). */
  infiniteFrameHd: count,
  /** Mean signed myocardial volume error (predicted − true), ml (NaN without frames). */
  meanVolumeErrorMl: mean(signed),
  /** Mean signed myocardial mass error (predicted − true), g (NaN without frames). */
  meanMassErrorG: mean(signed),
  /** The whole-volume means per ACDC group (keys sorted). */
  byGroup: volumes,
  /** The whole-volume means per phase (`ED`, `ES`). */
  byPhase: volumes,
});

/** The headline numbers of `myoseg evaluate` (also printed with `--json`). */
export type EvaluationSummary = v.InferOutput<typeof EvaluationSummarySchema>;

/**
 * Checks a {@link CohortEvaluation}, a parsed `evaluation.json`. Fields it does not know are dropped. JSON writes
 * +∞ and NaN as null: a slice's or frame's distance reads back as +∞ (one mask empty), a mean as NaN (nothing to
 * average).
 */
export const CohortEvaluationSchema = object({
  /** The headline numbers. */
  summary: EvaluationSummarySchema,
  /** Every frame scored in 3D over all its slices with ground truth (`FrameScore`s of `@myoseg/models`). */
  frames: v.array(FrameScoreSchema),
  /** Every slice scored in 2D. */
  slices: v.array(EvaluatedSliceSchema),
});

/** `evaluation.json`: what `myoseg evaluate` wrote (checked by {@link CohortEvaluationSchema}). */
export type CohortEvaluation = v.InferOutput<typeof CohortEvaluationSchema>;
