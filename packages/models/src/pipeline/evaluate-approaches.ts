import {
  boundingBox,
  cropImage,
  dice,
  hausdorffDistance,
  LOCALIZATION_LABELS,
  type Mask,
  MYOCARDIUM_LABELS,
  pasteMask,
  resize,
  restoreMask,
  selectLabels,
  squareCropBox,
} from '@myoseg/core';
import type * as tfl from '@tensorflow/tfjs-layers';
import ndarray from 'ndarray';
import { thresholdMap } from './crop-region';
import type { LabeledSlice } from './labeled-slice';
import { type PipelinePreset, resolvePreset } from './presets';
import { tfStage } from './stage';
import { type TrainedPipeline, type TrainPipelineOptions, trainPipeline } from './train-pipeline';
import { type PipelineProgress, trainStage } from './train-stage';
import {
  type FrameScore,
  type LabeledVolume,
  scoreVolume,
  summarizeFrames,
  type VolumeTable,
} from './volume-scores';

/** The five rows of the paper's Table 1. */
export type Approach =
  | 'no-localization-all-labels'
  | 'no-localization-myocardium'
  | 'localization-standardized-size'
  | 'localization-original-size'
  | 'localization-original-size-blur';

/** Mean, min and max of a Dice coefficient over slices. */
export interface DiceSummary {
  /** Mean Dice. */
  mean: number;
  /** Lowest Dice. */
  min: number;
  /** Highest Dice. */
  max: number;
}

/** One row of the paper's Table 1. */
export interface Table1Entry {
  /** Which approach. */
  approach: Approach;
  /** The paper's wording. */
  label: string;
  /** The paper's avg / min / max Dice. */
  paper: DiceSummary;
}

/** HD95 over slices, in mm. */
export interface Hd95Summary {
  /** Median over slices (+∞ slices included). */
  median: number;
  /** Mean over the slices where it is finite. */
  mean: number;
  /** Slices where it is +∞ (one of the masks empty). */
  infinite: number;
}

/** Mean Dice of one ACDC group. */
export interface GroupDice {
  /** Mean Dice. */
  mean: number;
  /** Slices. */
  n: number;
}

/** The approaches in the paper's order, with its wording and its avg / min / max Dice (Table 1). */
export const TABLE1: readonly Table1Entry[] = Object.freeze([
  {
    approach: 'no-localization-all-labels',
    label: 'no localization, all labels',
    paper: { mean: 0.889, min: 0.139, max: 0.97 },
  },
  {
    approach: 'no-localization-myocardium',
    label: 'no localization, myocardium label only',
    paper: { mean: 0.894, min: 0.148, max: 0.973 },
  },
  {
    approach: 'localization-standardized-size',
    label: 'localization, standardized size',
    paper: { mean: 0.938, min: 0.824, max: 0.982 },
  },
  {
    approach: 'localization-original-size',
    label: 'localization, original size',
    paper: { mean: 0.948, min: 0.825, max: 0.984 },
  },
  {
    approach: 'localization-original-size-blur',
    label: 'localization, original size + Gaussian blur',
    paper: { mean: 0.955, min: 0.828, max: 0.986 },
  },
]);

/** One test slice's scores under one approach. */
export interface SliceScore {
  /** Which approach. */
  approach: Approach;
  /** The run (seeded split and training) it came from. */
  run: number;
  /** Patient id. */
  patientId: string;
  /** ACDC group, if known. */
  group?: string;
  /** Index of the slice in the input list. */
  index: number;
  /** Dice of the myocardium against the truth. */
  dice: number;
  /** HD95 in mm (+∞ when exactly one of the masks is empty). */
  hd95Mm: number;
}

/** Summary statistics of one approach over all test slices of all runs. */
export interface ApproachRow {
  /** Which approach. */
  approach: Approach;
  /** The paper's wording. */
  label: string;
  /** Mean, min and max Dice over slices (all runs pooled). */
  dice: DiceSummary;
  /** Mean Dice of each run. */
  runMeans: number[];
  /** HD95 in mm: median over slices, and mean over the slices where it is finite. */
  hd95Mm: Hd95Summary;
  /** Mean Dice per ACDC group. */
  perGroup: Record<string, GroupDice>;
  /** The paper's Table 1 numbers for this row. */
  paper: DiceSummary;
  /** Number of test slices scored (all runs). */
  slices: number;
}

/** Options of {@link evaluateApproaches}. */
export interface EvaluateApproachesOptions
  extends Pick<TrainPipelineOptions, 'preset' | 'ratios' | 'trainer' | 'orientation'> {
  /** Seeded runs (split and training), default 1; the paper used 10. */
  runs?: number;
  /** Seed of run 0; run `r` uses `seed + r` (default 0). */
  seed?: number;
  /** Progress of every network's training, tagged with the run. */
  onProgress?: (p: PipelineProgress & { run: number }) => void;
  /**
   * Called with each run's trained pipeline before its networks are freed (to save it, or to time inference);
   * awaited.
   */
  onTrained?: (trained: TrainedPipeline, run: number) => void | Promise<void>;
  /**
   * All-slice stacks (every frame with ground truth) of the cohort's patients, for the whole-volume view: each run
   * segments its held-out patients' stacks with the full method (volume-consistent localization) and scores them
   * in 3D. Stacks of patients outside the held-out split are ignored; without it there is no whole-volume view.
   */
  volumes?: readonly LabeledVolume[];
}

/** The full method on the held-out patients' whole stacks (every slice with ground truth, not only filtered ones). */
export interface WholeVolumeView {
  /** Every held-out frame's 3D scores, tagged with the run. */
  frames: (FrameScore & {
    /** The run (seeded split and training) it came from. */
    run: number;
  })[];
  /** Means over all frames (all runs pooled), per group and per phase. */
  summary: VolumeTable;
}

/** What {@link evaluateApproaches} returns. */
export interface ApproachesResult {
  /** One row per approach, in Table 1's order. */
  rows: ApproachRow[];
  /** Every test slice's score under every approach. */
  scores: SliceScore[];
  /** The preset used. */
  preset: PipelinePreset;
  /** The whole-volume view, when {@link EvaluateApproachesOptions.volumes} was given. */
  wholeVolume?: WholeVolumeView;
}

/** Myocardium masks from a network that sees the whole image (Table 1's first two rows). */
async function predictWholeImage(
  model: tfl.LayersModel,
  foreground: number,
  normalization: PipelinePreset['normalization'],
  slices: readonly LabeledSlice[],
): Promise<Mask[]> {
  const stage = tfStage(model, { normalization, foregroundClasses: [foreground] });
  const size = stage.inputSize;
  const probs = await stage.predict(slices.map((s) => resize(s.image, [size[0], size[1]])));
  return probs.map((p, i) =>
    thresholdMap(resize(p, [slices[i].image.shape[0], slices[i].image.shape[1]]), 0.5),
  );
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);

/** Table 1's statistics of one approach from its slice scores. */
function summarize(entry: (typeof TABLE1)[number], scores: readonly SliceScore[], runs: number): ApproachRow {
  const mine = scores.filter((s) => s.approach === entry.approach);
  const d = mine.map((s) => s.dice);
  const hd = mine.map((s) => s.hd95Mm).sort((a, b) => a - b);
  const finite = hd.filter(Number.isFinite);
  const perGroup: Record<string, GroupDice> = {};
  for (const g of [...new Set(mine.map((s) => s.group ?? 'unknown'))].sort()) {
    const gd = mine.filter((s) => (s.group ?? 'unknown') === g).map((s) => s.dice);
    perGroup[g] = { mean: mean(gd), n: gd.length };
  }
  return {
    approach: entry.approach,
    label: entry.label,
    dice: {
      mean: mean(d),
      min: d.length ? Math.min(...d) : Number.NaN,
      max: d.length ? Math.max(...d) : Number.NaN,
    },
    runMeans: Array.from({ length: runs }, (_, r) =>
      mean(mine.filter((s) => s.run === r).map((s) => s.dice)),
    ),
    hd95Mm: {
      median: hd.length ? hd[Math.floor((hd.length - 1) / 2)] : Number.NaN,
      mean: mean(finite),
      infinite: hd.length - finite.length,
    },
    perGroup,
    paper: entry.paper,
    slices: mine.length,
  };
}

/**
 * Reproduces the paper's Table 1 on any annotated cohort: per seeded run, splits patients 60/20/20, trains the
 * two-step pipeline ({@link trainPipeline}) and two whole-image baselines (a 4-class net whose myocardium is
 * taken, and a myocardium-only net) on the same training patients at the localizer's size, then scores the five
 * approaches on the held-out patients:
 * 1. no localization, all labels; 2. no localization, myocardium only (both resized back bilinearly, ≥ 0.5;
 *    trained with class-balanced cross-entropy when the preset's `balanceBaselines` is set);
 * 3. localization, standardized size (Dice of the segmenter's mask against the true crop resized to its input);
 * 4. localization, original size (nearest resize back, no blur); 5. the same with the regressed Gaussian blur.
 * These are the paper's reproduction view (2D Dice on the given, usually filtered, slices). With `volumes`, the
 * full method is also scored on the held-out patients' whole stacks in 3D ({@link WholeVolumeView}).
 *
 * @param slices - annotated slices with ACDC labels (several patients, ideally all five groups).
 */
export async function evaluateApproaches(
  slices: readonly LabeledSlice[],
  options: EvaluateApproachesOptions = {},
): Promise<ApproachesResult> {
  const { runs = 1, seed = 0, ratios, onProgress } = options;
  const preset = resolvePreset(options.preset ?? 'quick');
  if (!Number.isInteger(runs) || runs < 1)
    throw new RangeError(`evaluateApproaches: runs must be an integer ≥ 1, got ${runs}`);
  const scores: SliceScore[] = [];
  const volumeFrames: WholeVolumeView['frames'] = [];
  for (let run = 0; run < runs; run++) {
    const runSeed = seed + run;
    const progress = onProgress && ((p: PipelineProgress) => onProgress({ ...p, run }));
    const trained = await trainPipeline(slices, {
      preset,
      seed: runSeed,
      ratios,
      onProgress: progress,
      trainer: options.trainer,
      orientation: options.orientation,
    });
    const testIds = new Set(trained.split.validation);
    const trainIds = new Set(trained.split.train);
    const test = slices.flatMap((s, index) => (testIds.has(s.patientId) ? [{ s, index }] : []));
    const train = slices.filter((s) => trainIds.has(s.patientId));
    const baseline = async (name: string, labels: 'all' | 'myocardium') => {
      const samples = train.map((s) => ({
        image: s.image,
        mask: labels === 'all' ? s.mask : selectLabels(s.mask, MYOCARDIUM_LABELS),
      }));
      const { model } = await trainStage(name, samples, [], {
        preset,
        size: preset.localizerSize,
        numClasses: labels === 'all' ? 4 : 2,
        seed: runSeed + 2,
        balanceClasses: preset.balanceBaselines,
        onProgress: progress,
        trainer: options.trainer,
      });
      const masks = await predictWholeImage(
        model,
        labels === 'all' ? MYOCARDIUM_LABELS[0] : 1,
        preset.normalization,
        test.map((t) => t.s),
      );
      model.dispose();
      return masks;
    };
    const allLabels = await baseline('no-localization (all labels)', 'all');
    const myoOnly = await baseline('no-localization (myocardium)', 'myocardium');
    const results = await trained.pipeline.segmentBatch(test.map((t) => t.s.image));

    test.forEach(({ s, index }, k) => {
      const truth = selectLabels(s.mask, MYOCARDIUM_LABELS);
      const spacing = s.spacing ?? [1, 1];
      const shape: [number, number] = [truth.shape[0], truth.shape[1]];
      const score = (approach: Approach, mask: Mask, reference: Mask, sp: readonly [number, number]) =>
        scores.push({
          approach,
          run,
          patientId: s.patientId,
          group: s.group,
          index,
          dice: dice(mask, reference),
          hd95Mm: hausdorffDistance(mask, reference, { percentile: 95, spacing: sp }),
        });
      score('no-localization-all-labels', allLabels[k], truth, spacing);
      score('no-localization-myocardium', myoOnly[k], truth, spacing);
      const r = results[k];
      const [sh, sw] = trained.preset.segmenterSize;
      if (!r.found || !r.cropBox || !r.lowRes) {
        // the localizer found nothing: empty masks, scored against the truth as it is
        const empty = ndarray(new Uint8Array(shape[0] * shape[1]), shape);
        const trueBox = boundingBox(selectLabels(s.mask, LOCALIZATION_LABELS));
        const truthLow = trueBox
          ? thresholdMap(
              resize(cropImage(truth, squareCropBox(trueBox, { frame: preset.frame })), [sh, sw], {
                method: 'nearest',
              }),
              0.5,
            )
          : ndarray(new Uint8Array(sh * sw), [sh, sw]);
        score(
          'localization-standardized-size',
          ndarray(new Uint8Array(sh * sw), [sh, sw]),
          truthLow,
          spacing,
        );
        score('localization-original-size', empty, truth, spacing);
        score('localization-original-size-blur', empty, truth, spacing);
        return;
      }
      const side = r.cropBox.x1 - r.cropBox.x0;
      const truthCrop = cropImage(truth, r.cropBox, { pad: 'zero' });
      const truthLow = thresholdMap(resize(truthCrop, [sh, sw], { method: 'nearest' }), 0.5);
      score('localization-standardized-size', r.lowRes, truthLow, [
        (spacing[0] * side) / sh,
        (spacing[1] * side) / sw,
      ]);
      const noBlur = pasteMask(restoreMask(r.lowRes, [side, side], { sigma: 0 }), r.cropBox, shape);
      score('localization-original-size', noBlur, truth, spacing);
      score('localization-original-size-blur', r.mask, truth, spacing);
    });
    for (const v of options.volumes ?? []) {
      if (!testIds.has(v.patientId)) continue;
      const { mask } = await trained.pipeline.segmentVolume(v.image, {
        spacing: v.spacing,
        affine: v.affine,
      });
      const truth = selectLabels(v.mask, MYOCARDIUM_LABELS);
      const meta = { patientId: v.patientId, group: v.group ?? 'unknown', phase: v.phase };
      volumeFrames.push({ run, ...meta, ...scoreVolume(mask, truth, v.spacing) });
    }
    await options.onTrained?.(trained, run);
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
  }
  const rows = TABLE1.map((entry) => summarize(entry, scores, runs));
  if (!options.volumes) return { rows, scores, preset };
  return {
    rows,
    scores,
    preset,
    wholeVolume: { frames: volumeFrames, summary: summarizeFrames(volumeFrames) },
  };
}
