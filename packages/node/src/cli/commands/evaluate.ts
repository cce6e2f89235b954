import { join } from 'node:path';
import { dice, hausdorffDistance, MYOCARDIUM_LABELS, selectLabels, volumeMl } from '@myoseg/core';
import { type AcdcPatient, toSlices } from '@myoseg/datasets';
import { loadAcdc, writeFileAtomic } from '@myoseg/datasets/node';
import ndarray, { type NdArray } from 'ndarray';
import { initBackend } from '../../backend';
import { checkRunFolder, markRunFolder } from '../../files/output-folder';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { toCsv } from '../output';

/** Myocardial tissue density used for mass: 1.05 g/ml. */
export const MYOCARDIUM_DENSITY_G_PER_ML = 1.05;

/** One slice's scores in `myoseg evaluate`. */
export interface EvaluatedSlice {
  /** Patient folder name. */
  patientId: string;
  /** ACDC group. */
  group: string;
  /** Cardiac phase. */
  phase: 'ED' | 'ES';
  /** Slice index in the volume. */
  slice: number;
  /** Dice of the myocardium. */
  dice: number;
  /** HD95 in mm (+∞ when one mask is empty). */
  hd95Mm: number;
}

/** One patient frame's clinical numbers in `myoseg evaluate`. */
export interface EvaluatedFrame {
  /** Patient folder name. */
  patientId: string;
  /** ACDC group. */
  group: string;
  /** Cardiac phase. */
  phase: 'ED' | 'ES';
  /** 3D Dice over the frame's slices. */
  dice: number;
  /** Predicted myocardial volume, ml. */
  volumeMl: number;
  /** True myocardial volume, ml. */
  trueVolumeMl: number;
  /** Predicted myocardial mass, g. */
  massG: number;
  /** True myocardial mass, g. */
  trueMassG: number;
}

/** Scores every ED/ES frame of one patient: per-slice Dice/HD95 and the frame's myocardial volume and mass. */
async function evaluatePatient(
  patient: AcdcPatient,
  segment: (images: NdArray<Float32Array>[]) => Promise<NdArray<Uint8Array>[]>,
) {
  const samples = await toSlices(patient, { labels: 'all' });
  const masks = await segment(samples.map((s) => s.image));
  const slices: EvaluatedSlice[] = samples.map((s, i) => {
    const truth = selectLabels(s.mask, MYOCARDIUM_LABELS);
    return {
      patientId: s.patientId,
      group: s.group,
      phase: s.phase,
      slice: s.slice,
      dice: dice(masks[i], truth),
      hd95Mm: hausdorffDistance(masks[i], truth, { percentile: 95, spacing: s.spacing }),
    };
  });
  const frames: EvaluatedFrame[] = [];
  for (const phase of ['ED', 'ES'] as const) {
    const idx = samples.flatMap((s, i) => (s.phase === phase ? [i] : []));
    if (idx.length === 0) continue;
    const [h, w] = samples[idx[0]].image.shape;
    const pred = new Uint8Array(idx.length * h * w);
    const truth = new Uint8Array(idx.length * h * w);
    idx.forEach((i, z) => {
      pred.set(masks[i].data, z * h * w);
      truth.set(selectLabels(samples[i].mask, MYOCARDIUM_LABELS).data, z * h * w);
    });
    const spacing = patient.spacing;
    const predVol = ndarray(pred, [idx.length, h, w]);
    const trueVol = ndarray(truth, [idx.length, h, w]);
    const v = volumeMl(predVol, spacing);
    const tv = volumeMl(trueVol, spacing);
    frames.push({
      patientId: patient.id,
      group: patient.group,
      phase,
      dice: dice(predVol, trueVol),
      volumeMl: v,
      trueVolumeMl: tv,
      massG: v * MYOCARDIUM_DENSITY_G_PER_ML,
      trueMassG: tv * MYOCARDIUM_DENSITY_G_PER_ML,
    });
  }
  return { slices, frames };
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
 * `myoseg evaluate`: segments every ED/ES frame of an ACDC-layout cohort with a model folder and scores it
 * against the truth: per-slice Dice and HD95 (mm), per-frame 3D Dice, myocardial volume (ml) and mass (g, at
 * 1.05 g/ml). Writes `slices.csv`, `frames.csv` and `evaluation.json` to `out`.
 */
export async function evaluateCommand(
  io: CliIo,
  options: { data: string; model: string; out: string; json?: boolean; backend?: string; runtime?: string },
): Promise<number> {
  await checkRunFolder(options.out, 'evaluation', {
    label: '--out',
    inputs: [{ path: options.data, label: '--data' }],
  });
  const cohort = await loadAcdc(options.data, { onError: 'skip' });
  await initBackend({ prefer: options.backend as never, env: io.env });
  const loaded = await loadModelForInference(io, options.model, options.runtime);
  const slices: EvaluatedSlice[] = [];
  const frames: EvaluatedFrame[] = [];
  const failed = cohort.skipped.map((s) => ({ patient: s.patient, error: `${s.file}: ${s.reason}` }));
  try {
    for (const [i, patient] of cohort.patients.entries()) {
      io.status(`[evaluate] ${i + 1}/${cohort.patients.length} ${patient.id}`);
      try {
        const r = await evaluatePatient(patient, async (images) =>
          (await loaded.segmenter.segmentBatch(images)).map((x) => x.mask),
        );
        slices.push(...r.slices);
        frames.push(...r.frames);
      } catch (e) {
        failed.push({ patient: patient.id, error: (e as Error).message });
        io.err(`failed: ${patient.id}: ${(e as Error).message}`);
      }
    }
  } finally {
    loaded.dispose();
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const finite = slices.map((s) => s.hd95Mm).filter(Number.isFinite);
  const summary = {
    patients: new Set(frames.map((f) => f.patientId)).size,
    slices: slices.length,
    meanSliceDice: mean(slices.map((s) => s.dice)),
    meanFrameDice: mean(frames.map((f) => f.dice)),
    meanHd95Mm: mean(finite),
    meanAbsVolumeErrorMl: mean(frames.map((f) => Math.abs(f.volumeMl - f.trueVolumeMl))),
    meanAbsMassErrorG: mean(frames.map((f) => Math.abs(f.massG - f.trueMassG))),
    failed,
  };
  await writeFileAtomic(join(options.out, 'slices.csv'), objectsCsv(slices));
  await writeFileAtomic(join(options.out, 'frames.csv'), objectsCsv(frames));
  await writeFileAtomic(
    join(options.out, 'evaluation.json'),
    `${JSON.stringify({ summary, frames, slices }, null, 2)}\n`,
  );
  await markRunFolder(options.out, 'evaluation');
  if (options.json) io.out(JSON.stringify(summary));
  else {
    io.out(`patients ${summary.patients}, slices ${summary.slices}`);
    io.out(
      `Dice: per slice ${summary.meanSliceDice.toFixed(3)}, per frame (3D) ${summary.meanFrameDice.toFixed(3)}; HD95 ${summary.meanHd95Mm.toFixed(2)} mm`,
    );
    io.out(
      `myocardial volume error ${summary.meanAbsVolumeErrorMl.toFixed(1)} ml, mass error ${summary.meanAbsMassErrorG.toFixed(1)} g (mean absolute)`,
    );
    io.out(`wrote ${join(options.out, 'evaluation.json')}, slices.csv, frames.csv; ${failed.length} failed`);
  }
  return failed.length > 0 ? 1 : 0;
}
