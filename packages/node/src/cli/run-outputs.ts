import { join } from 'node:path';
import { type Mask, MYOCARDIUM_LABELS, selectLabels } from '@myoseg/core';
import type { SliceSample } from '@myoseg/datasets';
import { writeFileAtomic } from '@myoseg/datasets/node';
import type { PipelineManifest, TrainedPipeline, VolumeSummary } from '@myoseg/models';
import type { ApproachesResult } from '@myoseg/models/training';
import { overlayPng, type RunReport, type WholeVolumeRow, writeReport } from '../report';
import { toCsv } from './output';

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : String(x));

/** Table 1 as aligned text lines: our avg / min / max Dice beside the paper's, and HD95. */
export function formatTable1(result: ApproachesResult): string[] {
  const width = Math.max(...result.rows.map((r) => r.label.length));
  const lines = [
    `${'approach'.padEnd(width)}  ours avg   min    max   | paper avg   min    max  | HD95 mm (median)`,
    `${'-'.repeat(width)}  ${'-'.repeat(76)}`,
  ];
  for (const r of result.rows) {
    lines.push(
      `${r.label.padEnd(width)}  ${f3(r.dice.mean)}  ${f3(r.dice.min)}  ${f3(r.dice.max)} |     ${f3(r.paper.mean)}  ${f3(r.paper.min)}  ${f3(r.paper.max)} | ${r.hd95Mm.median.toFixed(2)}`,
    );
  }
  return lines;
}

/**
 * The whole-volume view's rows: all frames, then per phase and per group; NaN means become null. With `pretrained`,
 * a last row `pretrained`: `@myoseg/pretrained`'s model on run 0's test frames.
 */
function wholeVolumeRows(result: ApproachesResult, pretrained?: VolumeSummary | null): WholeVolumeRow[] {
  const table = result.wholeVolume?.summary;
  if (!table) return [];
  const orNull = (x: number) => (Number.isFinite(x) ? x : null);
  const row = (label: string, v: VolumeSummary): WholeVolumeRow => ({
    label,
    frames: v.frames,
    dice: orNull(v.dice),
    hd95Mm: orNull(v.hd95Mm),
    hdMm: orNull(v.hdMm),
    infiniteHd: v.infiniteHd,
    massErrorG: orNull(v.massErrorG),
    absMassErrorG: orNull(v.absMassErrorG),
  });
  return [
    row('all', table.all),
    ...Object.entries(table.byPhase).map(([k, v]) => row(k, v)),
    ...Object.entries(table.byGroup).map(([k, v]) => row(k, v)),
    ...(pretrained ? [row('pretrained', pretrained)] : []),
  ];
}

/** The whole-volume view as text lines (none when the run scored no whole stacks). */
export function formatWholeVolume(result: ApproachesResult, pretrained?: VolumeSummary | null): string[] {
  const rows = wholeVolumeRows(result, pretrained);
  if (rows.length === 0) return [];
  const num = (x: number | null, digits: number) => (x === null ? '—' : x.toFixed(digits));
  return [
    'whole volumes (full method, held-out patients, every slice with ground truth, 3D):',
    ...rows.map(
      (r) =>
        `  ${r.label.padEnd(4)} ${String(r.frames).padStart(4)} frames  Dice ${num(r.dice, 3)}  HD95 ${num(r.hd95Mm, 2)} mm  HD ${num(r.hdMm, 2)} mm  mass error ${num(r.massErrorG, 1)} g`,
    ),
    ...(pretrained ? ['  (pretrained: @myoseg/pretrained on the same frames, for comparison)'] : []),
    "Table 1 above: the paper's reproduction view (2D, filtered slices).",
  ];
}

/** Every slice's score under every approach, as CSV (one header line). */
export function scoresCsv(result: ApproachesResult): string {
  return toCsv(
    ['approach', 'run', 'patient_id', 'group', 'slice_index', 'dice', 'hd95_mm'],
    result.scores.map((s) => [s.approach, s.run, s.patientId, s.group, s.index, s.dice, s.hd95Mm]),
  );
}

/** Per-slice Dice of the full method, by ACDC group (all runs). */
function groupDice(result: ApproachesResult): Record<string, number[]> {
  const groups: Record<string, number[]> = {};
  for (const s of result.scores) {
    if (s.approach !== 'localization-original-size-blur') continue;
    const g = s.group ?? 'unknown';
    groups[g] ??= [];
    groups[g].push(s.dice);
  }
  return groups;
}

/** Inputs of {@link buildRunReport}. */
export interface RunOutputsInput {
  result: ApproachesResult;
  trained: TrainedPipeline;
  manifest: PipelineManifest;
  slices: readonly SliceSample[];
  /** The saved pipeline's full-size masks of run 0's test slices, by slice index. */
  masks: ReadonlyMap<number, Mask>;
  timings: Record<string, number>;
  backend: string;
  cohort: { patients: number; slices: number; kept: number; removedBy: Record<string, number> };
  /** `@myoseg/pretrained`'s model on run 0's test frames, for comparison (null or absent: no line). */
  pretrained?: VolumeSummary | null;
}

/** The best, median and worst test slices of the full method (run 0), by Dice. */
function examples(input: RunOutputsInput) {
  const scored = input.result.scores
    .filter(
      (s) => s.run === 0 && s.approach === 'localization-original-size-blur' && input.masks.has(s.index),
    )
    .sort((a, b) => b.dice - a.dice);
  if (scored.length === 0) return [];
  const picks: [string, (typeof scored)[number]][] = [
    ['best', scored[0]],
    ['median', scored[Math.floor(scored.length / 2)]],
    ['worst', scored[scored.length - 1]],
  ];
  return picks.map(([title, s]) => {
    const slice = input.slices[s.index];
    const truth = selectLabels(slice.mask, MYOCARDIUM_LABELS);
    const png = overlayPng(
      slice.image,
      [
        { mask: truth, color: [0, 200, 80], opacity: 0, outline: true },
        { mask: input.masks.get(s.index)!, color: [230, 60, 40], opacity: 0.35 },
      ],
      { scale: Math.max(1, Math.round(256 / Math.max(...slice.image.shape))) },
    );
    return { title, patientId: s.patientId, group: s.group ?? '', dice: s.dice, png };
  });
}

/**
 * Assembles a run's report (Table 1, σ regression, training curves, overlays, timings) and returns it with a
 * `write(dir)` that writes `metrics.json`, `report.json`, `report.html` and the overlay PNGs, each atomically.
 */
export function buildRunReport(input: RunOutputsInput): {
  report: RunReport;
  write(dir: string): Promise<void>;
} {
  const { result, trained, manifest } = input;
  const shots = examples(input);
  const curves = (name: string, h: TrainedPipeline['history']['localizer']) => ({
    name,
    epochs: [...h.frozen.fit.history, ...h.unfrozen.fit.history].map((e, i) => ({
      epoch: i + 1,
      loss: e.loss,
      valLoss: e.valLoss,
      valDice: e.valDice,
    })),
  });
  const report: RunReport = {
    title: 'myoseg demo: two-step myocardium segmentation on a synthetic ACDC twin',
    createdAt: manifest.createdAt,
    preset: {
      name: manifest.preset.name,
      settings: Object.fromEntries(Object.entries(manifest.preset).map(([k, v]) => [k, JSON.stringify(v)])),
    },
    summary: {
      backend: input.backend,
      patients: input.cohort.patients,
      'slices kept': input.cohort.kept,
      'test patients': trained.split.validation.length,
      runs: result.rows[0]?.runMeans.length ?? 0,
    },
    ...(result.wholeVolume
      ? {
          wholeVolume: {
            description: `The full method (volume-consistent localization) on the held-out patients' whole ED and ES stacks: ${result.wholeVolume.summary.all.frames} frames, every slice with ground truth, scored in 3D with the slice gap.${input.pretrained ? " The last row, 'pretrained', is @myoseg/pretrained's model on run 0's test frames, for comparison." : ''}`,
            rows: wholeVolumeRows(result, input.pretrained),
          },
        }
      : {}),
    table1: result.rows.map((r) => ({
      label: r.label,
      dice: r.dice,
      paper: r.paper,
      hd95Mm: r.hd95Mm,
      perGroup: r.perGroup,
    })),
    diceDistribution: {
      approach: 'localization, original size + Gaussian blur',
      groups: groupDice(result),
    },
    sigma: {
      ...('fixed' in manifest.sigma ? { fixed: manifest.sigma.fixed } : manifest.sigma.regression),
      points: trained.sigmaSamples,
    },
    training: [
      curves('localizer', trained.history.localizer),
      curves('segmenter', trained.history.segmenter),
    ],
    slices: shots.map(({ png, ...s }) => ({ ...s, pngBase64: Buffer.from(png).toString('base64') })),
    timings: input.timings,
    notes: [
      `backend: ${input.backend}`,
      `cohort: ${input.cohort.patients} synthetic patients, ${input.cohort.slices} slices, ${input.cohort.kept} kept by the paper's filters`,
      `split (patients): ${trained.split.train.length} train / ${trained.split.sigma.length} σ fit / ${trained.split.validation.length} test`,
      'Overlays: green outline = truth, red fill = myoseg.',
    ],
  };
  return {
    report,
    async write(dir) {
      await writeFileAtomic(
        join(dir, 'metrics.json'),
        `${JSON.stringify({ rows: result.rows, wholeVolume: result.wholeVolume, preset: result.preset, timings: input.timings, cohort: input.cohort, scores: result.scores }, null, 2)}\n`,
      );
      await writeFileAtomic(join(dir, 'report.json'), `${JSON.stringify(report)}\n`);
      for (const s of shots) await writeFileAtomic(join(dir, `overlay-${s.title}.png`), s.png);
      await writeReport(dir, report);
    },
  };
}
