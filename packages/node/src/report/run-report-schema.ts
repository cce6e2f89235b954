import { SigmaRegressionJsonSchema } from '@myoseg/models';
import type { DiceSummary, GroupDice } from '@myoseg/models/training';
import * as v from 'valibot';
import { count, finite, object, record } from './json-fields';

const dice = finite(0, 1);
const distance = finite(0);

/** `schema`, or null: JSON writes NaN and ±∞ as null, and an in-memory report's non-finite number reads as null. */
const orNull = <S extends v.GenericSchema>(schema: S) =>
  v.pipe(
    v.unknown(),
    v.transform((x) => (typeof x === 'number' && !Number.isFinite(x) ? null : x)),
    v.nullable(schema),
  );

const scalar = v.union([v.string(), v.boolean(), finite()], 'be a string, true, false or a finite number');

const DiceSummarySchema: v.GenericSchema<unknown, DiceSummary> = object({ mean: dice, min: dice, max: dice });
const GroupDiceSchema: v.GenericSchema<unknown, GroupDice> = object({ mean: dice, n: count });

/** Checks a {@link ReportHd95}. */
export const ReportHd95Schema = object({
  /** Median over every scored slice (+∞ ones included), mm; null when it is +∞. */
  median: orNull(distance),
  /** Mean over the slices with a finite distance, mm; null when there is none. */
  mean: orNull(distance),
  /** Slices whose distance is +∞ (one mask empty). */
  infinite: count,
});

/**
 * An approach's HD95 summary in mm as a report holds it: `ApproachRow['hd95Mm']` (median over every scored slice,
 * +∞ ones included; mean over the slices with a finite distance), with a value that JSON cannot hold (+∞, or no
 * finite slice) as null.
 */
export type ReportHd95 = v.InferOutput<typeof ReportHd95Schema>;

/** Checks a {@link Table1Row}. */
export const Table1RowSchema = object({
  /** The paper's wording of the approach. */
  label: v.string(),
  /** Mean, min and max Dice over slices (all runs pooled), each in [0, 1]. */
  dice: DiceSummarySchema,
  /** The paper's Table 1 numbers for this approach; null when the paper has none. */
  paper: orNull(DiceSummarySchema),
  /** HD95 in mm. */
  hd95Mm: ReportHd95Schema,
  /** Mean Dice (in [0, 1]) and slices per ACDC group. */
  perGroup: record(GroupDiceSchema),
});

/**
 * One row of Table 1 in a report: `evaluateApproaches`' `ApproachRow` (its label, Dice, per-group Dice and HD95),
 * with the paper's numbers null where the paper has none.
 */
export type Table1Row = v.InferOutput<typeof Table1RowSchema>;

/** Checks a {@link WholeVolumeRow}. */
export const WholeVolumeRowSchema = object({
  /** Which frames, e.g. `"all"`, `"ED"`, `"DCM"`. */
  label: v.string(),
  /** Number of frames (times runs). */
  frames: count,
  /** Mean 3D Dice in [0, 1]; null when there are no frames. */
  dice: orNull(dice),
  /** Mean 3D HD95 in mm over the frames where it is finite; null when there is none. */
  hd95Mm: orNull(distance),
  /** Mean 3D Hausdorff distance in mm over the frames where it is finite; null when there is none. */
  hdMm: orNull(distance),
  /** Frames whose distance is infinite (one mask empty, the other not). */
  infiniteHd: count,
  /** Mean signed myocardial mass error (predicted − true) in g; null when there are no frames. */
  massErrorG: orNull(finite()),
  /** Mean absolute myocardial mass error in g; null when there are no frames. */
  absMassErrorG: orNull(distance),
});

/** One row of the whole-volume table: means over a set of frames (all, one phase or one group). */
export type WholeVolumeRow = v.InferOutput<typeof WholeVolumeRowSchema>;

/** Checks a {@link WholeVolumeReport}. */
export const WholeVolumeReportSchema = object({
  /** One sentence on what was scored and how (shown above the table). */
  description: v.string(),
  /** `all` first, then per phase and per group. */
  rows: v.array(WholeVolumeRowSchema),
});

/**
 * The whole-volume view of the full method: every held-out frame segmented as a stack and scored in 3D over all its
 * slices with ground truth (not only the filtered slices of Table 1).
 */
export type WholeVolumeReport = v.InferOutput<typeof WholeVolumeReportSchema>;

const fixedEntries = {
  /** The σ, in pixels of the original image (≥ 0). */
  fixed: distance,
};

/** Checks a {@link FixedSigma}. */
export const FixedSigmaSchema = object(fixedEntries);

/** A σ used as a constant instead of a regression. */
export type FixedSigma = v.InferOutput<typeof FixedSigmaSchema>;

/** Crop width (pixels, ≥ 0) and best σ of each slice of the fitting split; may be empty. */
const points = v.array(
  object({
    /** Crop width in pixels (≥ 0). */
    width: distance,
    /** The best σ for it, in pixels. */
    sigma: finite(),
  }),
);
const FixedSigmaWithPoints = object({ ...fixedEntries, points });
const RegressedSigmaWithPoints = object({ ...SigmaRegressionJsonSchema.entries, points });

/**
 * Checks a {@link ReportSigma}: a fixed σ when it has `fixed`, else a regression (`SigmaRegressionJSON`), with the
 * points it was fitted on.
 */
export const ReportSigmaSchema = v.lazy((input) =>
  typeof input === 'object' && input !== null && 'fixed' in input
    ? FixedSigmaWithPoints
    : RegressedSigmaWithPoints,
);

/**
 * The σ used to restore masks: a fitted regression on the crop width (as `SigmaRegression.toJSON()`) or a
 * fixed value, with the per-slice best σ it was fitted on (`points`).
 */
export type ReportSigma = v.InferOutput<typeof ReportSigmaSchema>;

const metric = orNull(finite());

/** Checks a {@link TrainingEpoch}. */
export const TrainingEpochSchema = object({
  /** Epoch number (0- or 1-based, as the trainer counts). */
  epoch: count,
  /** Mean training loss over the epoch; null when it was not finite (a diverged loss). */
  loss: metric,
  /** Validation loss, when validated. */
  valLoss: v.optional(metric),
  /** Validation Dice in [0, 1], when validated. */
  valDice: v.optional(orNull(dice)),
});

/** One epoch of a training curve; null marks a value that was not finite (a diverged loss). */
export type TrainingEpoch = v.InferOutput<typeof TrainingEpochSchema>;

/** Checks a {@link TrainingCurve}. */
export const TrainingCurveSchema = object({
  /** The network, e.g. `"localizer"`. */
  name: v.string(),
  /** Its epochs, in order. */
  epochs: v.array(TrainingEpochSchema),
});

/** The training curve of one network. */
export type TrainingCurve = v.InferOutput<typeof TrainingCurveSchema>;

const PNG = 'be a base64-encoded PNG file';

/** Checks a {@link ReportSlice}. */
export const ReportSliceSchema = object({
  /** What it exemplifies, e.g. `"best"`, `"median"`, `"worst"`. */
  title: v.string(),
  /** The patient, e.g. `"patient042"`. */
  patientId: v.string(),
  /** The patient's group, e.g. `"DCM"`. */
  group: v.string(),
  /** Dice of this slice, in [0, 1]. */
  dice,
  /** The overlay picture: a PNG file, base64-encoded (e.g. from `overlayPng`). */
  pngBase64: v.pipe(v.string(), v.regex(/^iVBORw0KGgo[A-Za-z0-9+/]*={0,2}$/, PNG)),
  /** Optional free text under the picture (frame, slice index, colours). */
  caption: v.optional(v.string()),
});

/** An example slice shown as an overlay picture. */
export type ReportSlice = v.InferOutput<typeof ReportSliceSchema>;

/** Checks a {@link ReportPreset}. */
export const ReportPresetSchema = object({
  /** Preset name, e.g. `"quick"` or `"paper"`. */
  name: v.string(),
  /** Its settings, shown as a key/value table. */
  settings: record(scalar),
});

/** The training preset a run used. */
export type ReportPreset = v.InferOutput<typeof ReportPresetSchema>;

/** Checks a {@link DiceDistribution}. */
export const DiceDistributionSchema = object({
  /** The approach the values belong to (usually Table 1's last row). */
  approach: v.string(),
  /** Dice in [0, 1] of each slice (and run), by group, in display order. */
  groups: record(v.array(dice)),
});

/** Per-slice Dice of one approach, by patient group, for the distribution plot. */
export type DiceDistribution = v.InferOutput<typeof DiceDistributionSchema>;

const DATE = 'be an ISO 8601 date-time';

/**
 * Checks a {@link RunReport} (a parsed `report.json`). Dice values must lie in [0, 1], timings and distances be ≥ 0,
 * `createdAt` be a parseable date and `pngBase64` hold a PNG. Fields it does not know are dropped.
 */
export const RunReportSchema = object({
  /** Page title. */
  title: v.string(),
  /** When the run finished, as an ISO 8601 date-time. */
  createdAt: v.pipe(
    v.string(DATE),
    v.check((date) => !Number.isNaN(Date.parse(date)), DATE),
  ),
  /** The training preset: its name and its settings. */
  preset: ReportPresetSchema,
  /** Optional key facts shown in the header (cohort size, seed, backend…). */
  summary: v.optional(record(scalar)),
  /** The whole-volume view (the headline), when the run scored whole stacks. */
  wholeVolume: v.optional(WholeVolumeReportSchema),
  /** Table 1's rows (the paper's reproduction view), in the paper's order; the last row is the full pipeline. */
  table1: v.array(Table1RowSchema),
  /** Per-slice Dice of one approach by patient group, for the distribution plot. */
  diceDistribution: DiceDistributionSchema,
  /** The σ regression and its points. */
  sigma: ReportSigmaSchema,
  /** Training curves, one per network (e.g. `localizer`, `segmenter`), in display order. */
  training: v.array(TrainingCurveSchema),
  /** Example overlays, e.g. the best, median and worst slices. */
  slices: v.array(ReportSliceSchema),
  /** Durations by step name, in milliseconds (≥ 0). */
  timings: record(distance),
  /** Free-text remarks, one paragraph each. */
  notes: v.array(v.string()),
});

/**
 * Everything a run's HTML report shows, as plain JSON-able data (what `report.json` holds).
 * Records keep their insertion order, which is the order of rows and charts.
 */
export type RunReport = v.InferOutput<typeof RunReportSchema>;
