import { lstat, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { isMyosegError } from '@myoseg/core';
import { removeStaleTemporaries, writeFileAtomic } from '@myoseg/datasets/node';
import { initBackend } from '../../backend';
import { type StudyOutputOptions, segmentStudy, type WrittenMask } from '../../batch/segment-study';
import { parseShard, type Shard, shardFromEnv } from '../../batch/shard';
import { planStudies } from '../../batch/studies';
import { finishedStudy } from '../../batch/study-record';
import { InputError, OutputFolderError } from '../../errors';
import { checkWritable } from '../../files/output-folder';
import { INPUT_ERROR_CODES } from '../input-error-codes';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { ensureOutputFolder } from '../output';
import { precisionOption, runtimeOption } from '../runtime-option';
import type { FailedInput } from '../segment-inputs';

/** Options of `myoseg segment`. */
export interface SegmentOptions extends StudyOutputOptions {
  /** The trained model folder (default: `@myoseg/pretrained`'s). */
  model?: string;
  /** Use a model folder whose training stopped early. */
  allowIncomplete?: boolean;
  /** Machine-readable output. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /** Inference runtime: `auto` (default), `onnxruntime` or `tfjs`. */
  runtime?: string;
  /** Arithmetic of `--runtime webgpu`: `float32` (default), `float16` or `auto`. */
  precision?: string;
  /** A CSV of studies, `path[,name]` per line (see `readStudyList`). */
  list?: string;
  /** Skip studies whose completion record says they are done (`<name>.study.json`, outputs unchanged). */
  skipExisting?: boolean;
  /** `i/n`: only this 0-based part of the studies; default from a Kubernetes Indexed Job or Slurm array. */
  shard?: string;
  /** `text` (default): a summary at the end; `ndjson`: one JSON record per study on stdout as it finishes. */
  log?: 'text' | 'ndjson';
}

/**
 * Checks, before any work, that the masks can be written: `--out` is (or can be created as) a writable folder,
 * and no folder sits where a mask of a 2D/3D input would go. Then creates `--out`, and removes the temporary files
 * of these outputs that a killed run left.
 *
 * @throws `OutputFolderError` naming `--out` or the path in the way.
 */
async function checkMaskOutputs(out: string, stems: readonly string[]): Promise<void> {
  await checkWritable(out, `--out ${out}`);
  for (const stem of stems)
    for (const path of [join(out, `${stem}_myo.nii.gz`), join(out, `${stem}_seg.dcm`)]) {
      const info = await lstat(path).catch(() => undefined);
      if (info?.isDirectory())
        throw new OutputFolderError(`--out ${out}: ${path} is a folder, where the mask of an input would go`);
    }
  await ensureOutputFolder(out);
  // what an earlier run killed in the middle of writing these outputs left
  await removeStaleTemporaries(out, (target) => stems.some((stem) => target.startsWith(`${stem}_`)));
}

/** One line of `--log ndjson`: a study as it finishes. */
interface StudyLogLine {
  id: string;
  input: string;
  status: 'done' | 'skipped' | 'failed';
  seconds?: number;
  slices?: number;
  volumeMl?: (number | null)[];
  massG?: (number | null)[];
  error?: string;
  code?: string;
}

/** Where a run's failures are listed: one file per shard, so that shards never write the same file. */
const failuresFile = (out: string, shard: Shard | null) =>
  join(out, shard ? `failures-${shard.index}-of-${shard.count}.csv` : 'failures.csv');

const csvField = (v: string) => (/[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : v);

const FAILURES_HEADER = 'input,code,error';

/**
 * Writes the failures CSV of this run (or removes a stale one of ours when nothing failed). A file of that name
 * that myoseg did not write (another first line) is left alone, with a warning: the failures are on stderr.
 */
async function writeFailures(
  out: string,
  shard: Shard | null,
  failed: readonly (FailedInput & { code?: string })[],
  io: CliIo,
) {
  const file = failuresFile(out, shard);
  const existing = await readFile(file, 'utf8').catch(() => null);
  if (existing !== null && existing.split('\n')[0] !== FAILURES_HEADER) {
    io.err(`warning: ${file} is not a myoseg failures list; left as it is`);
    return;
  }
  if (failed.length === 0) return rm(file, { force: true });
  const rows = failed.map((f) => [f.file, f.code ?? 'INPUT', f.error].map(csvField).join(','));
  await writeFileAtomic(file, `${FAILURES_HEADER}\n${rows.join('\n')}\n`);
}

/**
 * `myoseg segment INPUT... | --list FILE`: segments NIfTI images (files, folders, an ACDC root, a list) with a
 * trained model folder, writing `<name>_myo.nii.gz` masks with the input's shape, spacing and affine (names made
 * unique, see `outputStems`) and, last, each study's `<name>.study.json` record. One failing study does not
 * stop the others; `failures.csv` lists them. The exit code is then 2 when nothing was segmented and every failure
 * is the input's (a code of `INPUT_ERROR_CODES`: the inputs are bad), else 1 (a partial or internal failure). `--shard i/n` (or the
 * scheduler's variables) takes a deterministic part; `--skip-existing` skips studies whose record says they are
 * done; `--log ndjson` prints one JSON record per study as it finishes.
 */
export async function segmentCommand(
  io: CliIo,
  inputs: readonly string[],
  options: SegmentOptions,
): Promise<number> {
  precisionOption(options.precision, runtimeOption(options.runtime)); // bad options are refused before any work
  const ndjson = options.log === 'ndjson';
  if (ndjson && options.json) throw new InputError('--log ndjson and --json both write stdout; choose one');
  const shard = options.shard ? parseShard(options.shard) : shardFromEnv(io.env);
  const plan = await planStudies(inputs, options.list, shard);
  if (shard)
    io.err(
      `shard ${shard.index}/${shard.count} (${shard.source}): ${plan.studies.length} of ${plan.total} studies`,
    );
  await checkMaskOutputs(
    options.out,
    plan.studies.map((s) => s.name),
  );
  const failed: (FailedInput & { code?: string })[] = [];
  const done: WrittenMask[] = [];
  const log = (line: StudyLogLine) => {
    if (ndjson) io.out(JSON.stringify(line));
  };
  const fail = (f: FailedInput, id: string, code = 'INPUT') => {
    failed.push({ ...f, code });
    io.err(`failed: ${f.error}`);
    log({ id, input: f.file, status: 'failed', error: f.error, code });
  };
  for (const f of plan.failed) fail(f, basename(f.file));
  const todo: typeof plan.studies = [];
  let skipped = 0;
  for (const study of plan.studies) {
    if (options.skipExisting && (await finishedStudy(options.out, study.name))) {
      skipped++;
      log({ id: study.name, input: study.input, status: 'skipped' });
    } else todo.push(study);
  }
  if (todo.length > 0) {
    await initBackend({ prefer: options.backend as never, env: io.env });
    const loaded = await loadModelForInference(io, options.model, options, {
      allowIncomplete: options.allowIncomplete,
    });
    try {
      for (const [i, study] of todo.entries()) {
        const { input: file, name } = study;
        io.status(`[segment] ${i + 1}/${todo.length} ${basename(file)}`);
        try {
          const { record, masks } = await segmentStudy(study, loaded.pipeline, options, io);
          done.push(...masks);
          log({
            id: name,
            input: file,
            status: 'done',
            seconds: record.seconds,
            slices: record.slices,
            volumeMl: record.volumeMl,
            massG: record.massG,
          });
        } catch (e) {
          const message = (e as Error).message.split('\n')[0];
          const error = message.startsWith(file) ? message : `${file}: ${message}`;
          fail({ file, error }, name, isMyosegError(e) ? e.code : 'ERROR');
        }
      }
    } finally {
      loaded.dispose();
    }
  }
  await writeFailures(options.out, shard, failed, io);
  const failedOut = failed.map(({ file, error }) => ({ file, error }));
  if (options.json) io.out(JSON.stringify({ written: done, failed: failedOut, skipped }));
  else {
    const say = ndjson ? io.err : io.out;
    if (!ndjson)
      for (const d of done)
        io.out(
          `${d.file}  ${d.found}/${d.slices} slices${d.volumeMl === undefined ? '' : `  ${d.volumeMl.toFixed(1)} ml`}`,
        );
    say(
      `${done.length} written, ${failed.length} failed${skipped > 0 ? `, ${skipped} skipped (done before)` : ''}`,
    );
  }
  if (failed.length === 0) return 0;
  // nothing done and every failure the input's: the input is bad (2); else a partial or internal failure (1)
  const refused =
    done.length === 0 && skipped === 0 && failed.every((f) => INPUT_ERROR_CODES.has(f.code ?? 'INPUT'));
  if (!refused) return 1;
  io.err(`myoseg: nothing segmented: ${failed.length} input(s) refused (listed above)`);
  return 2;
}
