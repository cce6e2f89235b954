import { rm } from 'node:fs/promises';
import { cohortOrientation, filterSlices, toCohortSlices } from '@myoseg/datasets';
import { loadAcdc } from '@myoseg/datasets/node';
import type { PresetName } from '@myoseg/models';
import {
  checkpointFiles,
  disposePipelineCheckpoint,
  type PipelineCheckpoint,
  type PresetOverride,
  readCheckpointFiles,
  type StageTrainerFactory,
  type TrainingCallback,
  trainPipeline,
} from '@myoseg/models/training';
import { initBackend } from '../../backend';
import { InputError } from '../../errors';
import { recoverFolderAtomic, writeFolderAtomic } from '../../files/atomic';
import { diskReader } from '../../files/model-files';
import { checkInputFolder, checkOutputFolder, checkRunFolder } from '../../files/output-folder';
import { savePipelineFolder } from '../../files/pipeline-folder';
import type { CliIo } from '../io';
import { presetOption } from '../preset-option';
import { progressPrinter } from '../progress';
import { trainingOption } from '../training-option';

/** Options of `myoseg train`. */
export interface TrainOptions {
  /** ACDC root. */
  data: string;
  /** `quick`, `paper`, a JSON file holding a preset override, or (from code) the override itself. */
  preset: string | PresetOverride;
  /** Output model folder. */
  out: string;
  /** Seed of the split and the training. */
  seed: number;
  /** Skip the paper's slice filters. */
  noFilters?: boolean;
  /** How the saved networks store their weights (default float32). */
  weights?: 'float32' | 'float16';
  /** Where the tfjs networks' weights are stored: their own `weights.bin` (default) or the `.onnx` files. */
  tfjsWeights?: 'separate' | 'from-onnx';
  /** Go on from the checkpoint in `<out>.checkpoint/` (same data, preset and seed). */
  resume?: boolean;
  /** Machine-readable output. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /** Training runtime: `auto` (default), `onnxruntime` or `tfjs` (see `trainingOption`). */
  runtime?: string;
  /**
   * Training threads: onnxruntime's per operator, or wasm workers. The weights depend on the runtime and, for
   * wasm workers, on their count (BatchNorm per worker): resume with the same.
   */
  threads?: number;
  /** Where Ctrl-C comes from (default: the process's SIGINT). */
  interrupt?: { on(listener: () => void): void; off(listener: () => void): void };
}

/** The folder where `myoseg train --out DIR` keeps its checkpoint: `DIR.checkpoint`. */
export const checkpointFolder = (out: string): string => `${out.replace(/[/\\]+$/, '')}.checkpoint`;

/** Reads `<out>.checkpoint/` for `--resume`, or says where it was looked for. */
async function readResume(out: string): Promise<PipelineCheckpoint> {
  const dir = checkpointFolder(out);
  await recoverFolderAtomic(dir); // a kill in the instant a checkpoint replaced the previous one
  return readCheckpointFiles(diskReader(dir), dir).catch((e: Error) => {
    throw new InputError(
      `--resume: no usable checkpoint in ${dir} (${e.message}); it is written after every epoch of \`myoseg train --out ${out}\``,
    );
  });
}

/**
 * `myoseg train`: trains the two-step pipeline on an ACDC-layout cohort (the paper's filters on by default) and
 * saves it as a model folder, atomically. After every epoch it saves a checkpoint to `<out>.checkpoint/`
 * (atomically too); `--resume` goes on from there, to the same result as an uninterrupted run, and the
 * checkpoint is removed once the model is saved. Ctrl-C stops training after the current batch and still saves
 * the networks as they are then (the checkpoint stays, for `--resume`).
 */
export async function trainCommand(io: CliIo, options: TrainOptions): Promise<number> {
  const preset = await presetOption(options.preset);
  const backend = await initBackend({ prefer: options.backend as never, env: io.env });
  io.err(`backend: ${backend.choice}`);
  const { trainer, describe } = await trainingOption(backend, preset, options);
  io.err(describe);
  await checkRunFolder(options.out, 'model', {
    label: '--out',
    inputs: [{ path: options.data, label: '--data' }],
  });
  await checkInputFolder(options.data, '--data');
  await checkOutputFolder(checkpointFolder(options.out), 'checkpoint', {
    label: `checkpoint folder of --out ${options.out}`,
  });
  const resume = options.resume ? await readResume(options.out) : undefined;
  try {
    return await train(io, options, preset, resume, trainer);
  } finally {
    if (resume) disposePipelineCheckpoint(resume);
  }
}

async function train(
  io: CliIo,
  options: TrainOptions,
  preset: PresetName | PresetOverride,
  resume: PipelineCheckpoint | undefined,
  trainer: StageTrainerFactory | undefined,
): Promise<number> {
  const cohort = await loadAcdc(options.data, { onError: 'skip' });
  for (const s of cohort.skipped) io.err(`skipped ${s.patient}: ${s.file}: ${s.reason}`);
  const { samples } = await toCohortSlices(cohort.patients, { labels: 'all', onError: 'skip' });
  const slices = options.noFilters ? samples : filterSlices(samples).kept;
  if (new Set(slices.map((s) => s.patientId)).size < 3) {
    throw new InputError(
      `--data ${options.data}: needs annotated slices of at least 3 patients (60/20/20 split), found ${slices.length} slices`,
    );
  }
  io.err(`${cohort.patients.length} patients, ${slices.length} slices`);
  const { orientation, others } = cohortOrientation(cohort.patients);
  if (orientation && others.length > 0)
    io.err(
      `warning: ${others.length} patient(s) are not stored in the cohort's orientation ${orientation} ` +
        `(${others.slice(0, 5).join(', ')}${others.length > 5 ? ', …' : ''}); the model records ${orientation}`,
    );
  if (resume) {
    const at = resume.current;
    io.err(`resuming ${resume.stage} training after ${at.phase} epoch ${at.epoch}`);
  }

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
  const checkpointDir = checkpointFolder(options.out);
  interrupt.on(onInterrupt);
  try {
    const t0 = performance.now();
    const trained = await trainPipeline(slices, {
      preset,
      seed: options.seed,
      onProgress: progressPrinter(io, options),
      callbacks: [stopper],
      resume,
      trainer,
      ...(orientation ? { orientation } : {}),
      checkpoint: async (c) => {
        await writeFolderAtomic(checkpointDir, await checkpointFiles(c), { kind: 'checkpoint' });
        if (!options.json)
          io.err(`checkpoint: ${c.stage} ${c.current.phase} epoch ${c.current.epoch} → ${checkpointDir}`);
      },
    });
    await savePipelineFolder(options.out, trained, {
      complete: !interrupted,
      weights: options.weights,
      tfjsWeights: options.tfjsWeights,
    });
    trained.localizerModel.dispose();
    trained.segmenterModel.dispose();
    if (!interrupted) await rm(checkpointDir, { recursive: true, force: true });
    const seconds = (performance.now() - t0) / 1000;
    const summary = {
      out: options.out,
      interrupted,
      resumed: resume !== undefined,
      checkpoint: interrupted ? checkpointDir : null,
      seconds,
      split: trained.split,
      sigma: trained.sigma,
    };
    if (options.json) io.out(JSON.stringify(summary));
    else
      io.out(
        `saved ${options.out} after ${seconds.toFixed(0)} s${interrupted ? ` (interrupted: training stopped early; go on with --resume from ${checkpointDir})` : ''}`,
      );
    return interrupted ? 1 : 0;
  } finally {
    interrupt.off(onInterrupt);
  }
}
