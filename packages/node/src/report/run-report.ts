import type { SigmaRegressionJSON, SigmaSample } from '@myoseg/core';
import type { ApproachRow, DiceSummary, Hd95Summary } from '@myoseg/models/training';

/**
 * An approach's HD95 summary in mm as a report holds it: `ApproachRow['hd95Mm']` (median over every scored slice,
 * +∞ ones included; mean over the slices with a finite distance), with a value that JSON cannot hold (+∞, or no
 * finite slice) as null.
 */
export type ReportHd95 = { [K in keyof Hd95Summary]: K extends 'infinite' ? number : number | null };

/**
 * One row of Table 1 in a report: `evaluateApproaches`' {@link ApproachRow} (its label, Dice, per-group Dice and
 * HD95), with the paper's numbers null where the paper has none.
 */
export type Table1Row = Pick<ApproachRow, 'label' | 'dice' | 'perGroup'> & {
  /** The paper's Table 1 numbers for this approach; null when the paper has none. */
  paper: DiceSummary | null;
  /** HD95 in mm. */
  hd95Mm: ReportHd95;
};

/** One row of the whole-volume table: means over a set of frames (all, one phase or one group). */
export interface WholeVolumeRow {
  /** Which frames, e.g. `"all"`, `"ED"`, `"DCM"`. */
  label: string;
  /** Number of frames (times runs). */
  frames: number;
  /** Mean 3D Dice in [0, 1]; null when there are no frames. */
  dice: number | null;
  /** Mean 3D HD95 in mm over the frames where it is finite; null when there is none. */
  hd95Mm: number | null;
  /** Mean 3D Hausdorff distance in mm over the frames where it is finite; null when there is none. */
  hdMm: number | null;
  /** Frames whose distance is infinite (one mask empty, the other not). */
  infiniteHd: number;
  /** Mean signed myocardial mass error (predicted − true) in g; null when there are no frames. */
  massErrorG: number | null;
  /** Mean absolute myocardial mass error in g; null when there are no frames. */
  absMassErrorG: number | null;
}

/**
 * The whole-volume view of the full method: every held-out frame segmented as a stack and scored in 3D over all its
 * slices with ground truth (not only the filtered slices of Table 1).
 */
export interface WholeVolumeReport {
  /** One sentence on what was scored and how (shown above the table). */
  description: string;
  /** `all` first, then per phase and per group. */
  rows: WholeVolumeRow[];
}

/** A σ used as a constant instead of a regression. */
export interface FixedSigma {
  /** The σ, in pixels of the original image. */
  fixed: number;
}

/**
 * The σ used to restore masks: a fitted regression on the crop width (as `SigmaRegression.toJSON()`) or a
 * fixed value, with the per-slice best σ it was fitted on.
 */
export type ReportSigma = (SigmaRegressionJSON | FixedSigma) & {
  /** Crop width (pixels) and best σ of each slice of the fitting split; may be empty. */
  points: SigmaSample[];
};

/** One epoch of a training curve; null marks a value that was not finite (a diverged loss). */
export interface TrainingEpoch {
  /** Epoch number (0- or 1-based, as the trainer counts). */
  epoch: number;
  /** Mean training loss over the epoch. */
  loss: number | null;
  /** Validation loss, when validated. */
  valLoss?: number | null;
  /** Validation Dice in [0, 1], when validated. */
  valDice?: number | null;
}

/** The training curve of one network. */
export interface TrainingCurve {
  /** The network, e.g. `"localizer"`. */
  name: string;
  /** Its epochs, in order. */
  epochs: TrainingEpoch[];
}

/** An example slice shown as an overlay picture. */
export interface ReportSlice {
  /** What it exemplifies, e.g. `"best"`, `"median"`, `"worst"`. */
  title: string;
  /** The patient, e.g. `"patient042"`. */
  patientId: string;
  /** The patient's group, e.g. `"DCM"`. */
  group: string;
  /** Dice of this slice, in [0, 1]. */
  dice: number;
  /** The overlay picture: a PNG file, base64-encoded (e.g. from `overlayPng`). */
  pngBase64: string;
  /** Optional free text under the picture (frame, slice index, colours). */
  caption?: string;
}

/** The training preset a run used. */
export interface ReportPreset {
  /** Preset name, e.g. `"quick"` or `"paper"`. */
  name: string;
  /** Its settings, shown as a key/value table. */
  settings: Record<string, string | number | boolean>;
}

/** Per-slice Dice of one approach, by patient group, for the distribution plot. */
export interface DiceDistribution {
  /** The approach the values belong to (usually Table 1's last row). */
  approach: string;
  /** Dice in [0, 1] of each slice (and run), by group, in display order. */
  groups: Record<string, number[]>;
}

/**
 * Everything a run's HTML report shows, as plain JSON-able data (what `report.json` holds).
 * Records keep their insertion order, which is the order of rows and charts.
 */
export interface RunReport {
  /** Page title. */
  title: string;
  /** When the run finished, as an ISO 8601 date-time. */
  createdAt: string;
  /** The training preset: its name and its settings. */
  preset: ReportPreset;
  /** Optional key facts shown in the header (cohort size, seed, backend…). */
  summary?: Record<string, string | number | boolean>;
  /** The whole-volume view (the headline), when the run scored whole stacks. */
  wholeVolume?: WholeVolumeReport;
  /** Table 1's rows (the paper's reproduction view), in the paper's order; the last row is the full pipeline. */
  table1: Table1Row[];
  /** Per-slice Dice of one approach by patient group, for the distribution plot. */
  diceDistribution: DiceDistribution;
  /** The σ regression and its points. */
  sigma: ReportSigma;
  /** Training curves, one per network (e.g. `localizer`, `segmenter`), in display order. */
  training: TrainingCurve[];
  /** Example overlays, e.g. the best, median and worst slices. */
  slices: ReportSlice[];
  /** Durations by step name, in milliseconds. */
  timings: Record<string, number>;
  /** Free-text remarks, one paragraph each. */
  notes: string[];
}
