import { join } from 'node:path';
import { dice, finiteIntensities, hausdorffDistance, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import { type AcdcPatient, filterSlices, toSlices } from '@myoseg/datasets';
import { loadAcdc, writeFileAtomic } from '@myoseg/datasets/node';
import {
  type FrameScore,
  type MyocardiumPipeline,
  scoreVolume,
  summarizeFrames,
  type VolumeSummary,
} from '@myoseg/models';
import { initBackend } from '../../backend';
import { NoResultsError } from '../../errors';
import { checkInputFolder, checkRunFolder, markRunFolder } from '../../files/output-folder';
import type { CohortEvaluation, EvaluatedSlice, EvaluationSummary } from '../../report/evaluation-schema';
import { frameStacks } from '../frame-stacks';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { toCsv } from '../output';
import { warnIntensities } from '../segment-inputs';

/** Options of `myoseg evaluate`. */
export interface EvaluateOptions {
  /** ACDC root (or one subset folder). */
  data: string;
  /** A trained model folder (default: `@myoseg/pretrained`'s). */
  model?: string;
  /** Output folder. */
  out: string;
  /** Segment each slice on its own (the paper's path) instead of localizing each stack as a whole. */
  perSlice?: boolean;
  /** Score only the slices that the paper's filters keep in the slice-level view (frames still use all slices). */
  filtered?: boolean;
  /** Print the summary as one JSON line. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /** Inference runtime: `auto`, `onnxruntime` or `tfjs`. */
  runtime?: string;
  /** Arithmetic of `--runtime webgpu`: `float32` (default), `float16` or `auto`. */
  precision?: string;
}

/**
 * Segments every ED/ES stack of one patient as a volume and scores it: the frame in 3D over all its slices, and
 * each slice (all, or those the paper's filters keep) in 2D. Non-finite voxels are replaced slice by slice first
 * (see `finiteIntensities`; the stacks are float32 already, never rescaled) and counted.
 */
async function evaluatePatient(
  patient: AcdcPatient,
  segmenter: MyocardiumPipeline,
  options: Pick<EvaluateOptions, 'perSlice' | 'filtered'>,
) {
  const samples = await toSlices(patient, { labels: 'all' });
  const kept = options.filtered ? new Set(filterSlices(samples).kept) : null;
  const slices: EvaluatedSlice[] = [];
  const frames: FrameScore[] = [];
  let nonFiniteVoxels = 0;
  for (const stack of frameStacks(samples, () => patient)) {
    const { image, replaced } = finiteIntensities(stack.image);
    nonFiniteVoxels += replaced;
    const result = await segmenter.segmentVolume(image, {
      spacing: stack.spacing,
      affine: stack.affine,
      volumeConsistent: !options.perSlice,
    });
    const meta = { patientId: patient.id, group: patient.group, phase: stack.phase };
    frames.push({
      ...meta,
      ...scoreVolume(result.mask, selectLabels(stack.mask, MYOCARDIUM_LABELS), stack.spacing),
    });
    stack.samples.forEach((s, z) => {
      if (kept && !kept.has(s)) return;
      const mask = result.mask.pick(z, null, null);
      const truth = selectLabels(s.mask, MYOCARDIUM_LABELS);
      slices.push({
        ...meta,
        slice: s.slice,
        dice: dice(mask, truth),
        hd95Mm: hausdorffDistance(mask, truth, { percentile: 95, spacing: s.spacing }),
      });
    });
  }
  return { slices, frames, nonFiniteVoxels };
}

/** Objects as CSV, their first object's keys as the columns (no file content when there are no rows). */
const objectsCsv = (rows: readonly object[]) => {
  if (rows.length === 0) return '';
  const columns = Object.keys(rows[0]);
  return toCsv(
    columns,
    rows.map((r) => columns.map((k) => (r as Record<string, unknown>)[k])),
  );
};

/**
 * `myoseg evaluate`: segments every ED/ES stack of an ACDC-layout cohort as a volume (volume-consistent
 * localization; `perSlice` for the paper's slice-by-slice path) and scores it against the truth. The headline is
 * the whole-volume view, per frame over all slices with ground truth: 3D Dice, HD95 and HD (mm), myocardial volume
 * (ml) and mass (g, at 1.05 g/ml), with means per ACDC group and phase. The slice-level view (2D Dice and HD95 per
 * slice; with `filtered`, only the slices the paper's filters keep, as in Table 1) stays beside it. Writes
 * `slices.csv`, `frames.csv` and `evaluation.json` to `out`. Skipped and failed patients are named on stderr with
 * the reason.
 *
 * @returns the exit code: 1 when some patient failed, else 0.
 * @throws `NoResultsError` (exit code 1) when no patient could be scored; nothing is written then.
 */
export async function evaluateCommand(io: CliIo, options: EvaluateOptions): Promise<number> {
  await checkRunFolder(options.out, 'evaluation', {
    label: '--out',
    inputs: [{ path: options.data, label: '--data' }],
  });
  await checkInputFolder(options.data, '--data');
  const cohort = await loadAcdc(options.data, { onError: 'skip' });
  for (const s of cohort.skipped)
    io.err(`skipped ${s.patient}: ${s.reason.startsWith(s.file) ? '' : `${s.file}: `}${s.reason}`);
  await initBackend({ prefer: options.backend as never, env: io.env });
  const loaded = await loadModelForInference(io, options.model, options);
  const slices: EvaluatedSlice[] = [];
  const frames: FrameScore[] = [];
  const nonFinite: { patient: string; voxels: number }[] = [];
  const failed = cohort.skipped.map((s) => ({ patient: s.patient, error: `${s.file}: ${s.reason}` }));
  try {
    for (const [i, patient] of cohort.patients.entries()) {
      io.status(`[evaluate] ${i + 1}/${cohort.patients.length} ${patient.id}`);
      try {
        const r = await evaluatePatient(patient, loaded.pipeline, options);
        slices.push(...r.slices);
        frames.push(...r.frames);
        if (r.nonFiniteVoxels > 0) nonFinite.push({ patient: patient.id, voxels: r.nonFiniteVoxels });
        warnIntensities(io, patient.id, r.nonFiniteVoxels, 1);
      } catch (e) {
        failed.push({ patient: patient.id, error: (e as Error).message });
        io.err(`failed: ${patient.id}: ${(e as Error).message.split('\n')[0]}`);
      }
    }
  } finally {
    loaded.dispose();
  }
  if (frames.length === 0) {
    throw new NoResultsError(
      `--data ${options.data}: none of its ${failed.length} patient(s) could be scored (reasons above); nothing written`,
    );
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const finite = slices.map((s) => s.hd95Mm).filter(Number.isFinite);
  const volumes = summarizeFrames(frames);
  const summary: EvaluationSummary = {
    patients: new Set(frames.map((f) => f.patientId)).size,
    slices: slices.length,
    meanSliceDice: mean(slices.map((s) => s.dice)),
    meanFrameDice: mean(frames.map((f) => f.dice)),
    meanHd95Mm: mean(finite),
    meanAbsVolumeErrorMl: mean(frames.map((f) => Math.abs(f.volumeMl - f.trueVolumeMl))),
    meanAbsMassErrorG: mean(frames.map((f) => Math.abs(f.massG - f.trueMassG))),
    failed,
    nonFinite,
    localization: options.perSlice ? 'per-slice' : 'volume',
    sliceView: options.filtered ? 'filtered' : 'all',
    frames: frames.length,
    meanFrameHd95Mm: volumes.all.hd95Mm,
    meanFrameHdMm: volumes.all.hdMm,
    infiniteFrameHd: volumes.all.infiniteHd,
    meanVolumeErrorMl: volumes.all.volumeErrorMl,
    meanMassErrorG: volumes.all.massErrorG,
    byGroup: volumes.byGroup,
    byPhase: volumes.byPhase,
  };
  await writeFileAtomic(join(options.out, 'slices.csv'), objectsCsv(slices));
  await writeFileAtomic(join(options.out, 'frames.csv'), objectsCsv(frames));
  const evaluation: CohortEvaluation = { summary, frames, slices };
  await writeFileAtomic(join(options.out, 'evaluation.json'), `${JSON.stringify(evaluation, null, 2)}\n`);
  await markRunFolder(options.out, 'evaluation');
  if (options.json) io.out(JSON.stringify(summary));
  else {
    const mm = (x: number) => (Number.isFinite(x) ? `${x.toFixed(2)} mm` : '—');
    const line = (name: string, v: VolumeSummary) =>
      `  ${name.padEnd(4)} ${String(v.frames).padStart(4)} frames  Dice ${v.dice.toFixed(3)}  HD95 ${mm(v.hd95Mm)}  HD ${mm(v.hdMm)}  mass error ${v.massErrorG.toFixed(1)} g (|${v.absMassErrorG.toFixed(1)}| g)`;
    io.out(`patients ${summary.patients}, frames ${summary.frames}; localization: ${summary.localization}`);
    io.out('whole volumes (3D, every slice with ground truth):');
    io.out(line('all', volumes.all));
    for (const [k, v] of [...Object.entries(volumes.byPhase), ...Object.entries(volumes.byGroup)])
      io.out(line(k, v));
    io.out(
      `slices (2D, ${summary.sliceView === 'filtered' ? "the paper's filtered slices, as Table 1" : 'all slices'}): ${summary.slices}, Dice ${summary.meanSliceDice.toFixed(3)}, HD95 ${summary.meanHd95Mm.toFixed(2)} mm`,
    );
    io.out(`wrote ${join(options.out, 'evaluation.json')}, slices.csv, frames.csv; ${failed.length} failed`);
  }
  return failed.length > 0 ? 1 : 0;
}
