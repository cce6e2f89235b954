import { filterSlices, toCohortSlices } from '@myoseg/datasets';
import { loadAcdc } from '@myoseg/datasets/node';
import { type PresetOverride, type TrainingCallback, trainSegmenter } from '@myoseg/models';
import { initBackend } from '../../backend';
import { InputError } from '../../errors';
import { saveSegmenterFolder } from '../../files/segmenter-folder';
import type { CliIo } from '../io';
import { progressPrinter } from '../progress';

/** Options of `myoseg train`. */
export interface TrainOptions {
  /** ACDC root. */
  data: string;
  /** `quick` or `paper` (from code: also a preset with fields replaced). */
  preset: string | PresetOverride;
  /** Output model folder. */
  out: string;
  /** Seed of the split and the training. */
  seed: number;
  /** Skip the paper's slice filters. */
  noFilters?: boolean;
  /** Machine-readable output. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /** Where Ctrl-C comes from (default: the process's SIGINT). */
  interrupt?: { on(listener: () => void): void; off(listener: () => void): void };
}

/**
 * `myoseg train`: trains the two-step pipeline on an ACDC-layout cohort (the paper's filters on by default) and
 * saves it as a model folder, atomically. Ctrl-C stops training after the current batch and still saves the
 * networks as they are then (the folder's `myoseg.json` records it).
 */
export async function trainCommand(io: CliIo, options: TrainOptions): Promise<number> {
  if (typeof options.preset === 'string' && options.preset !== 'quick' && options.preset !== 'paper') {
    throw new InputError(`--preset must be quick or paper, got ${options.preset}`);
  }
  const cohort = await loadAcdc(options.data, { onError: 'skip' });
  for (const s of cohort.skipped) io.err(`skipped ${s.patient}: ${s.file}: ${s.reason}`);
  const { samples } = await toCohortSlices(cohort.patients, { labels: 'all', onError: 'skip' });
  const slices = options.noFilters ? samples : filterSlices(samples).kept;
  if (new Set(slices.map((s) => s.patientId)).size < 3) {
    throw new InputError(
      `--data ${options.data}: needs annotated slices of at least 3 patients (60/20/20 split), found ${slices.length} slices`,
    );
  }
  const backend = await initBackend({ prefer: options.backend as never, env: io.env });
  io.err(`backend: ${backend.choice}; ${cohort.patients.length} patients, ${slices.length} slices`);

  let interrupted = false;
  const stopper: TrainingCallback & { stop?: () => void } = {
    onTrainBegin: (context) => {
      stopper.stop = () => context.stopTraining();
      if (interrupted) context.stopTraining();
    },
  };
  const onInterrupt = () => {
    interrupted = true;
    io.err('interrupted: stopping after this batch, then saving');
    stopper.stop?.();
  };
  const interrupt = options.interrupt ?? {
    on: (l) => process.on('SIGINT', l),
    off: (l) => process.off('SIGINT', l),
  };
  interrupt.on(onInterrupt);
  try {
    const t0 = performance.now();
    const trained = await trainSegmenter(slices, {
      preset: options.preset as 'quick' | 'paper' | PresetOverride,
      seed: options.seed,
      onProgress: progressPrinter(io, options),
      callbacks: [stopper],
    });
    await saveSegmenterFolder(options.out, trained);
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
    const seconds = (performance.now() - t0) / 1000;
    const summary = { out: options.out, interrupted, seconds, split: trained.split, sigma: trained.sigma };
    if (options.json) io.out(JSON.stringify(summary));
    else
      io.out(
        `saved ${options.out} after ${seconds.toFixed(0)} s${interrupted ? ' (interrupted: training stopped early)' : ''}`,
      );
    return interrupted ? 1 : 0;
  } finally {
    interrupt.off(onInterrupt);
  }
}
