import { isMyosegError } from '@myoseg/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { demoCommand } from './commands/demo';
import { doctorCommand } from './commands/doctor';
import { evaluateCommand } from './commands/evaluate';
import { queueStatusCommand, queueSubmitCommand, queueWorkerCommand } from './commands/queue';
import { reportCommand } from './commands/report';
import { segmentCommand } from './commands/segment';
import { synthCommand } from './commands/synth';
import { trainCommand } from './commands/train';
import { INPUT_ERROR_CODES } from './input-error-codes';
import { type CliIo, EXIT } from './io';

const integer = (name: string, min: number) => (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${name} must be an integer ≥ ${min}`);
  return n;
};

/** An option parser that takes one of `values` and refuses anything else, naming the option and the choices. */
const choice = (name: string, values: readonly string[]) => (value: string) => {
  if (!values.includes(value)) throw new InvalidArgumentError(`${name} must be ${values.join(' or ')}`);
  return value;
};

const FRAMES_HELP = '4D inputs: comma-separated 0-based frames (default all)';

/** Parses `--frames 0,12`. */
const frames = (v: string) =>
  v.split(',').map((f) => {
    const n = f.trim() === '' ? Number.NaN : Number(f);
    if (!Number.isInteger(n) || n < 0)
      throw new InvalidArgumentError('--frames takes 0-based integers, e.g. 0,12');
    return n;
  });

/** Parses `--format nifti,seg`. */
const formats = (v: string) => {
  const list = v.split(',').map((f) => f.trim());
  if (
    list.length === 0 ||
    list.some((f) => f !== 'nifti' && f !== 'seg') ||
    new Set(list).size !== list.length
  )
    throw new InvalidArgumentError('--format takes nifti, seg or nifti,seg');
  return list;
};

const THREADS_HELP =
  'training threads: onnxruntime-node threads per operator (default: the cores), or tfjs-wasm workers (default: one per core, at most one per 4 rows of a batch)';

/** Builds the `myoseg` command; each action resolves to an exit code stored in `result.code`. */
export function buildProgram(io: CliIo, result: { code: number }): Command {
  const program = new Command('myoseg')
    .description('Myocardium segmentation in cardiac MRI: two-step deep learning with smoothed masks.')
    .option(
      '--backend <name>',
      'force a backend: tfjs-node-gpu, tfjs-node, wasm or cpu (or set MYOSEG_BACKEND)',
    )
    .option('--json', 'machine-readable output on stdout')
    .option(
      '--runtime <name>',
      'runtime of training (train, demo) and inference (demo, segment, evaluate): auto (onnxruntime-node when installed; for training, when the backend is wasm or cpu), onnxruntime, webgpu (onnxruntime-node on a GPU through WebGPU; Linux: Vulkan) or tfjs',
    )
    .option(
      '--precision <name>',
      'arithmetic of --runtime webgpu: float32 (default), float16, or auto (float16 where the adapter takes it, else float32)',
    )
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s.trimEnd()), writeErr: (s) => io.err(s.trimEnd()) })
    .addHelpText(
      'after',
      `
Exit codes: 0 ok, 1 some inputs failed or a run-time failure, 2 bad usage or unusable input (nothing written).
Every error is one line with a stable code; docs/guides/errors.md lists them all, with what to do.

Examples:
  myoseg demo                                   synthesize, train (quick preset), reproduce Table 1 in ./myoseg-demo
  myoseg demo --patients 50 --out /tmp/run      a bigger cohort elsewhere
  myoseg synth --patients 150 --out ./twin      a full-size synthetic ACDC twin
  myoseg train --data /data/ACDC --preset paper --out ./model
  myoseg train --data /data/ACDC --preset paper --out ./model --resume   after a crash or Ctrl-C
  myoseg segment scan.nii.gz --model ./myoseg-demo/model --out ./masks --png
  myoseg report ./myoseg-demo                   re-render a run's report.html
  myoseg doctor                                 which backend is used and how to get a faster one`,
    );
  const global = () =>
    program.opts<{ backend?: string; json?: boolean; runtime?: string; precision?: string }>();
  const run = (fn: () => Promise<number>) => async () => {
    result.code = await fn();
  };

  program
    .command('demo')
    .description('synthesize a twin cohort, train, evaluate the five approaches of Table 1, write a report')
    .option('--patients <n>', 'synthetic patients (a multiple of 5)', integer('--patients', 5), 25)
    .option('--preset <name>', 'quick, standard, paper, or a .json file with a preset override', 'quick')
    .option('--seed <n>', 'seed of data, split and training', integer('--seed', 0), 0)
    .option('--runs <n>', 'seeded runs (the paper: 10)', integer('--runs', 1), 1)
    .option('--out <dir>', 'output folder', './myoseg-demo')
    .option('--threads <n>', THREADS_HELP, integer('--threads', 1))
    .action(async (o) => run(() => demoCommand(io, { ...o, ...global() }))());

  program
    .command('synth')
    .description('write a synthetic ACDC twin (ACDC folder layout, NIfTI + Info.cfg)')
    .option('--patients <n>', 'number of patients (1–9999)', integer('--patients', 1), 150)
    .requiredOption('--out <dir>', 'output folder')
    .option('--seed <n>', 'seed', integer('--seed', 0), 0)
    .option('--with-4d', 'also write the 4D cine files')
    .option(
      '--appearance <kind>',
      "standard (the twin's bSSFP look) or varied (per-patient contrasts, fields of view, noise, bias, blur)",
      choice('--appearance', ['standard', 'varied']),
      'standard',
    )
    .action(async (o) => run(() => synthCommand(io, { ...o, with4d: o.with4d, ...global() }))());

  program
    .command('train')
    .description(
      'train the two-step pipeline on an ACDC-layout cohort and save a model folder (Ctrl-C stops and saves)',
    )
    .requiredOption('--data <root>', 'ACDC root (training/ and testing/, or one of them)')
    .option('--preset <name>', 'quick, standard, paper, or a .json file with a preset override', 'quick')
    .requiredOption(
      '--out <dir>',
      'model folder to write (checkpoints go to <dir>.checkpoint after each epoch)',
    )
    .option('--seed <n>', 'seed of split and training', integer('--seed', 0), 0)
    .option('--no-filters', "keep every slice (skip the paper's quality filters)")
    .option('--resume', 'go on from <out>.checkpoint (same data, preset and seed) to the same result')
    .option(
      '--weights <precision>',
      'how the saved networks store their weights: float32, or float16 (half the size; they still compute in float32)',
      choice('--weights', ['float32', 'float16']),
      'float32',
    )
    .option(
      '--tfjs-weights <where>',
      'separate (each tfjs network has its own weights.bin), or from-onnx (stored once, in the .onnx files: half the folder; tfjs reads them from there)',
      choice('--tfjs-weights', ['separate', 'from-onnx']),
      'separate',
    )
    .option('--threads <n>', `${THREADS_HELP}; resume with the same`, integer('--threads', 1))
    .action(async (o) =>
      run(() => trainCommand(io, { ...o, noFilters: o.filters === false, ...global() }))(),
    );

  program
    .command('segment')
    .description(
      'segment NIfTI images (files, folders, an ACDC root or a list) or DICOM studies into <name>_myo.nii.gz masks',
    )
    .argument('[inputs...]', 'NIfTI files or folders, or DICOM study folders')
    .option('--model <dir>', 'a trained model folder (default: the pretrained model of @myoseg/pretrained)')
    .requiredOption('--out <dir>', 'output folder')
    .option('--frames <list>', FRAMES_HELP, frames)
    .option('--png', 'also write an overlay PNG per slice')
    .option(
      '--list <file>',
      "a CSV of studies, one 'path' or 'path,name' per line (paths relative to the list)",
    )
    .option(
      '--series <uid>',
      'DICOM folders: the SeriesInstanceUID to segment (default auto: the short-axis stack)',
    )
    .option(
      '--format <list>',
      'nifti (the label map), seg (a DICOM SEG <name>_seg.dcm; DICOM inputs only) or nifti,seg',
      formats,
      ['nifti'],
    )
    .option(
      '--skip-existing',
      'skip studies whose <name>.study.json record says they are done, outputs unchanged',
    )
    .option(
      '--shard <i/n>',
      'only the 0-based part i of n (default: JOB_COMPLETION_INDEX/JOB_COMPLETIONS or the SLURM_ARRAY_TASK_* variables)',
    )
    .option(
      '--log <format>',
      'text (a summary at the end) or ndjson (one JSON record per study on stdout as it finishes)',
      choice('--log', ['text', 'ndjson']),
      'text',
    )
    .option(
      '--allow-incomplete',
      'use a model folder whose training stopped early (myoseg.json "complete": false)',
    )
    .addHelpText(
      'after',
      `
Folders are walked for .nii/.nii.gz images; *_gt (labels) and *_myo (masks of an earlier run) are left out, and an
entry that cannot be read (a dangling symbolic link, an unreadable folder) is reported as a failure while the others
go on. Each input gets its own output name, decided before any work: <name>_myo.nii.gz, where <name> is the file's
name without .nii/.nii.gz; inputs that share a name get their parent folders in it (a/x.nii.gz and b/x.nii.gz give
a_x_myo.nii.gz and b_x_myo.nii.gz), and x.nii beside x.nii.gz gives x_nii_myo.nii.gz and x_nii_gz_myo.nii.gz.
NaN, ±Inf and float64 voxels beyond float32 range are replaced by their slice's finite min/max, counted on stderr
and in --json (nonFiniteVoxels). --frames applies to 4D inputs; other inputs are segmented whole, with a warning.
A cine (4D NIfTI, or a DICOM folder's short-axis cine) gives one 4D label map; every stack also writes
<name>_myo.txt (ITK-SNAP labels), <name>_myo.ctbl (3D Slicer colors) and <name>_measures.csv (myocardial volume,
mass at 1.05 g/ml, LV cavity volume and ED/ES per frame). --format seg writes a DICOM SEG <name>_seg.dcm instead
of the label map (nifti,seg: both), one binary segment "Myocardium" (SNOMED CT 74281007) referencing the segmented
images, for PACS viewers (OHIF, 3D Slicer); a NIfTI input has no images to reference and is refused.
An unwritable --out is refused before any work (exit 2). A study that fails does not stop the others; the exit
code is then 1, or 2 when nothing was segmented because every input was bad (unreadable, not an image, a bad DICOM
series, a SEG asked of a NIfTI input).

Cohorts: each study writes <name>.study.json last (its outputs with sizes and SHA-256); --skip-existing skips a
study whose record is there and whose outputs are unchanged, so a rerun after a crash goes on where it stopped.
--shard i/n takes every n-th study from i of the list sorted by output name (each study in exactly one shard).
Failed studies are listed in failures.csv (failures-i-of-n.csv per shard) with their error code; the others go on.`,
    )
    .action(async (inputs: string[], o) =>
      run(() => segmentCommand(io, inputs, { ...o, formats: o.format, ...global() }))(),
    );

  const queue = program
    .command('queue')
    .description('cohorts on a BullMQ job queue in Redis: submit studies, run workers, watch the status');
  const redis = '--redis <url>';
  const REDIS_HELP = 'Redis URL, e.g. redis://127.0.0.1:6379/0';
  const QUEUE_HELP = 'queue name (default myoseg-segment)';
  queue
    .command('submit')
    .description('one job per study (a study already queued for the same --out is not added again)')
    .argument('[inputs...]', 'NIfTI files or folders')
    .requiredOption(redis, REDIS_HELP)
    .requiredOption('--out <dir>', 'output folder the workers write into')
    .option('--list <file>', "a CSV of studies, one 'path' or 'path,name' per line")
    .option('--frames <list>', FRAMES_HELP, frames)
    .option('--png', 'also write an overlay PNG per slice')
    .option(
      '--retry-failed',
      'send the studies of the failed set back to the waiting list (after fixing them)',
    )
    .option('--queue <name>', QUEUE_HELP)
    .action(async (inputs: string[], o) =>
      run(() => queueSubmitCommand(io, inputs, { ...o, ...global() }))(),
    );
  queue
    .command('worker')
    .description('segment queued studies until SIGTERM (finishes the current one); one NDJSON line per event')
    .requiredOption(redis, REDIS_HELP)
    .option('--model <dir>', 'a trained model folder (default: the pretrained model of @myoseg/pretrained)')
    .option('--concurrency <n>', 'studies at a time', integer('--concurrency', 1), 1)
    .option(
      '--lock-duration <ms>',
      'how long a study stays locked to a worker that stopped answering before another takes it over',
      integer('--lock-duration', 1000),
      30_000,
    )
    .option('--queue <name>', QUEUE_HELP)
    .action(async (o) => run(() => queueWorkerCommand(io, { ...o, ...global() }))());
  queue
    .command('status')
    .description('job counts per state and the failed studies with their reasons')
    .requiredOption(redis, REDIS_HELP)
    .option('--queue <name>', QUEUE_HELP)
    .action(async (o) => run(() => queueStatusCommand(io, { ...o, ...global() }))());

  program
    .command('evaluate')
    .description(
      'score a model folder on an ACDC-layout cohort: per frame over all slices, 3D Dice, HD95 and HD (mm), myocardial volume and mass, by group and phase; per slice, 2D Dice and HD95',
    )
    .requiredOption('--data <root>', 'ACDC root (training/ and testing/, or one of them)')
    .option('--model <dir>', 'a trained model folder (default: the pretrained model of @myoseg/pretrained)')
    .option('--out <dir>', 'output folder', './myoseg-evaluation')
    .option(
      '--per-slice',
      "localize each slice on its own (the paper's method) instead of each stack as a whole",
    )
    .option(
      '--filtered',
      "score only the slices the paper's filters keep in the per-slice view (as Table 1; frames still use all slices)",
    )
    .addHelpText(
      'after',
      `
The headline is the whole-volume view (frames.csv): every ED/ES stack is segmented as a volume and scored over all
its slices with ground truth. Slices (slices.csv) are the 2D view; --filtered --per-slice compares with Table 1.

Examples:
  myoseg evaluate --data ./ACDC/testing --model ./acdc-model --out ./acdc-eval
  myoseg evaluate --data ./ACDC/testing --model ./acdc-model --per-slice --filtered --json`,
    )
    .action(async (o) => run(() => evaluateCommand(io, { ...o, ...global() }))());

  program
    .command('report')
    .description(
      'render RUN_DIR/report.json (written by `myoseg demo`) as a self-contained RUN_DIR/report.html',
    )
    .argument('<runDir>', 'a run folder')
    .action(async (runDir: string) => run(() => reportCommand(io, runDir, global()))());

  program
    .command('doctor')
    .description('report the backend in use, why better ones were skipped, versions, and how to get a GPU')
    .action(async () => run(() => doctorCommand(io, global()))());

  return program;
}

/**
 * Runs the `myoseg` command line and returns its exit code. Every error prints one line, never a stack (unless
 * `MYOSEG_DEBUG=1`): input errors ({@link INPUT_ERROR_CODES}) exit 2, every other error 1.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const result = { code: EXIT.ok };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return result.code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    const err = e instanceof Error ? e : new Error(String(e));
    io.err(`myoseg: ${err.message.split('\n')[0]}`);
    if (io.env.MYOSEG_DEBUG === '1' && err.stack) io.err(err.stack);
    if (isMyosegError(err)) return INPUT_ERROR_CODES.has(err.code) ? EXIT.usage : EXIT.failed;
    if (io.env.MYOSEG_DEBUG !== '1')
      io.err('myoseg: this is a bug of myoseg; MYOSEG_DEBUG=1 prints where it happened');
    return EXIT.failed;
  }
}
