import { join, resolve } from 'node:path';
import { cohortOrientation, filterSlices, type SliceSample, toCohortSlices } from '@myoseg/datasets';
import { loadAcdc, synthesizeAcdc, writeFileAtomic } from '@myoseg/datasets/node';
import type { TrainedPipeline } from '@myoseg/models';
import { type ApproachesResult, evaluateApproaches, type PresetOverride } from '@myoseg/models/training';
import { initBackend } from '../../backend';
import { checkRunFolder, markRunFolder } from '../../files/output-folder';
import { savePipelineFolder } from '../../files/pipeline-folder';
import { frameStacks } from '../frame-stacks';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { presetOption } from '../preset-option';
import { scorePretrained } from '../pretrained-comparison';
import { progressPrinter } from '../progress';
import { buildRunReport, formatTable1, formatWholeVolume, scoresCsv } from '../run-outputs';
import { trainingOption } from '../training-option';

/** Options of `myoseg demo`. */
export interface DemoOptions {
  /** Synthetic patients (multiple of 5 keeps the groups equal). */
  patients: number;
  /** `quick`, `paper`, a JSON file holding a preset override, or (from code) the override itself. */
  preset: string | PresetOverride;
  /** Seed of the cohort, the split and the training. */
  seed: number;
  /** Seeded runs of Table 1. */
  runs: number;
  /** Output folder. */
  out: string;
  /** Machine-readable output. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /**
   * Runtime of training and of the saved model's inference: `auto` (default: onnxruntime-node when installed,
   * training too when the backend is wasm or cpu), `onnxruntime` or `tfjs`.
   */
  runtime?: string;
  /** Arithmetic of `--runtime webgpu`: `float32` (default), `float16` or `auto`. */
  precision?: string;
  /** Training threads: onnxruntime's per operator (default the cores), or wasm workers (see `trainingOption`). */
  threads?: number;
}

/**
 * `myoseg demo`: synthesizes a twin cohort, trains the preset, reproduces Table 1's five approaches on held-out
 * patients (filtered slices), scores the full method on their whole stacks in 3D (the headline), and writes the models, metrics, overlays and a self-contained report to `out`.
 */
export async function demoCommand(io: CliIo, options: DemoOptions): Promise<number> {
  const out = resolve(options.out);
  const preset = await presetOption(options.preset);
  await checkRunFolder(out, 'demo-run', { label: '--out' });
  const timings: Record<string, number> = {};
  const lap = (name: string, t0: number) => {
    timings[name] = performance.now() - t0;
  };
  const tStart = performance.now();
  const backend = await initBackend({ prefer: options.backend as never, env: io.env });
  io.err(
    `backend: ${backend.choice}${backend.choice === 'wasm' ? ` (${backend.threads} thread, SIMD ${backend.simd ? 'on' : 'off'})` : ''}`,
  );
  const training = await trainingOption(backend, preset, options);
  io.err(training.describe);

  let t0 = performance.now();
  const dataDir = join(out, 'data');
  await synthesizeAcdc({
    patients: options.patients,
    seed: options.seed,
    outDir: dataDir,
    onPatient: (p) => io.status(`[synth] ${p.id}`),
  });
  const cohort = await loadAcdc(dataDir);
  const { samples } = await toCohortSlices(cohort.patients, { labels: 'all' });
  const filtered = filterSlices(samples);
  lap('synthesize + load (ms)', t0);
  io.err(
    `cohort: ${cohort.patients.length} patients, ${samples.length} slices, ${filtered.kept.length} kept by the paper's filters (removed: ${Object.entries(
      filtered.removedBy,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')})`,
  );

  t0 = performance.now();
  let saved: TrainedPipeline | undefined;
  const modelDir = join(out, 'model');
  const byId = new Map(cohort.patients.map((p) => [p.id, p]));
  const volumes = frameStacks(samples, (id) => byId.get(id) as (typeof cohort.patients)[number]);
  const result: ApproachesResult = await evaluateApproaches(filtered.kept, {
    volumes,
    preset,
    orientation: cohortOrientation(cohort.patients).orientation ?? undefined,
    runs: options.runs,
    seed: options.seed,
    trainer: training.trainer,
    onProgress: progressPrinter(io, { json: options.json }),
    onTrained: async (trained, run) => {
      if (run !== 0) return;
      await savePipelineFolder(modelDir, trained);
      saved = trained;
    },
  });
  lap('train + evaluate (ms)', t0);
  if (!saved) throw new Error('demo: no pipeline was trained');
  const testIds = new Set(saved.split.validation);
  const pretrained = await scorePretrained(
    io,
    volumes.filter((v) => testIds.has(v.patientId)),
    options,
  );

  // reload what was saved: the folder must work on its own
  t0 = performance.now();
  const loaded = await loadModelForInference(io, modelDir, options);
  const byIndex = (i: number): SliceSample => filtered.kept[i];
  const testIndices = [...new Set(result.scores.filter((s) => s.run === 0).map((s) => s.index))];
  const tInfer = performance.now();
  const masks = await loaded.pipeline.segmentBatch(testIndices.map((i) => byIndex(i).image));
  const msPerSlice = (performance.now() - tInfer) / Math.max(1, testIndices.length);
  timings['inference per slice (ms)'] = msPerSlice;
  const report = buildRunReport({
    result,
    trained: saved,
    manifest: loaded.manifest,
    slices: filtered.kept,
    masks: new Map(testIndices.map((i, k) => [i, masks[k].mask])),
    timings,
    backend: `${backend.choice}; ${training.describe}; inference on ${loaded.runtime}`,
    pretrained,
    cohort: {
      patients: cohort.patients.length,
      slices: samples.length,
      kept: filtered.kept.length,
      removedBy: filtered.removedBy,
    },
  });
  loaded.dispose();
  lap('report (ms)', t0);
  timings['total (ms)'] = performance.now() - tStart;

  await report.write(out);
  await writeFileAtomic(join(out, 'metrics.csv'), scoresCsv(result));
  await markRunFolder(out, 'demo-run');
  if (options.json)
    io.out(JSON.stringify({ out, rows: result.rows, wholeVolume: result.wholeVolume?.summary, timings }));
  else {
    for (const line of [...formatTable1(result), ...formatWholeVolume(result, pretrained)]) io.out(line);
    io.out(
      `inference: ${msPerSlice.toFixed(1)} ms per slice; total ${(timings['total (ms)'] / 1000).toFixed(0)} s`,
    );
    io.out(`wrote ${out}/{model/, metrics.json, metrics.csv, report.html, overlays}`);
  }
  return 0;
}
