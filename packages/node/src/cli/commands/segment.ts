import { lstat, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { finiteIntensities } from '@myoseg/core';
import { type NiftiImage, readNifti, writeNifti } from '@myoseg/datasets';
import { removeStaleTemporaries, writeFileAtomic } from '@myoseg/datasets/node';
import type { MyocardiumPipeline } from '@myoseg/models';
import ndarray from 'ndarray';
import { initBackend } from '../../backend';
import { InputError, OutputFolderError } from '../../errors';
import { checkWritable } from '../../files/output-folder';
import { overlayPng } from '../../report';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { ensureOutputFolder } from '../output';
import { runtimeOption } from '../runtime-option';
import { type FailedInput, niftiInputs, outputStems, warnIntensities } from '../segment-inputs';

/** Options of `myoseg segment`. */
export interface SegmentOptions {
  /** The trained model folder (default: `@myoseg/pretrained`'s). */
  model?: string;
  /** Output folder. */
  out: string;
  /** 4D inputs: which time frames (0-based); default all. */
  frames?: number[];
  /** Also write one overlay PNG per slice. */
  png?: boolean;
  /** Use a model folder whose training stopped early. */
  allowIncomplete?: boolean;
  /** Machine-readable output. */
  json?: boolean;
  /** Force a backend. */
  backend?: string;
  /** Inference runtime: `auto` (default), `onnxruntime` or `tfjs`. */
  runtime?: string;
}

/** Refuses label maps given as images: a label file holds only a few small integers. */
function assertNotLabels(file: string, image: NiftiImage): void {
  const integerType = ['uint8', 'int8', 'int16', 'uint16', 'int32', 'uint32'].includes(image.datatype);
  if (!integerType) return;
  const seen = new Set<number>();
  for (let i = 0; i < image.data.length && seen.size <= 4; i += 7) seen.add(image.data[i]);
  if (seen.size <= 4 && [...seen].every((v) => v >= 0 && v <= 3)) {
    throw new InputError(
      `${file}: looks like a label map (values ${[...seen].sort().join(', ')} only), not an image`,
    );
  }
}

/** The `[D, H, W]` volumes of one file: one for 2D/3D, one per chosen frame for 4D. */
function volumesOf(file: string, image: NiftiImage, frames: readonly number[] | undefined, io: CliIo) {
  const v = image.volume;
  if (frames && image.shape.length < 4)
    io.err(
      `warning: ${file}: --frames applies to 4D inputs only; this ${image.shape.length}D image is segmented whole`,
    );
  if (image.shape.length === 2) return [{ suffix: '', volume: ndarray(v.data, [1, v.shape[0], v.shape[1]]) }];
  if (image.shape.length === 3) return [{ suffix: '', volume: v }];
  if (image.shape.length === 4) {
    const t = image.shape[0];
    const chosen = frames ?? Array.from({ length: t }, (_, i) => i);
    for (const f of chosen) {
      if (!Number.isInteger(f) || f < 0 || f >= t)
        throw new InputError(`${file}: frame ${f} does not exist (the file has ${t} frames, 0–${t - 1})`);
    }
    return chosen.map((f) => ({
      suffix: `_t${String(f).padStart(2, '0')}`,
      volume: v.pick(f, null, null, null),
    }));
  }
  throw new InputError(`${file}: expected a 2D, 3D or 4D image, got shape [${image.shape.join(', ')}]`);
}

/** One mask written by `myoseg segment` (an entry of `--json`'s `written`). */
interface WrittenMask {
  /** The mask file. */
  file: string;
  /** Slices of the volume. */
  slices: number;
  /** Slices where the myocardium was found. */
  found: number;
  /** Myocardial volume in ml, when the input has a spacing. */
  volumeMl?: number;
  /** Voxels that were NaN, ±∞ or beyond float32's range, replaced before segmenting (see `finiteIntensities`). */
  nonFiniteVoxels: number;
  /** The power of two a float64 image beyond float32's range was multiplied by (1: none). */
  intensityScale: number;
}

/**
 * Segments every slice of one file and writes `<stem>_myo.nii.gz` (and overlays); returns the masks written.
 * Intensities are made finite float32 first (`finiteIntensities`), with a warning on stderr when that changed any.
 */
async function segmentFile(
  file: string,
  stem: string,
  segmenter: MyocardiumPipeline,
  options: SegmentOptions,
  io: CliIo,
): Promise<WrittenMask[]> {
  const image = readNifti(await readFile(file), { name: file, gunzip: (b) => gunzipSync(b) });
  assertNotLabels(file, image);
  const outputs: WrittenMask[] = [];
  for (const { suffix, volume: stored } of volumesOf(file, image, options.frames, io)) {
    const { image: volume, replaced, scale } = finiteIntensities(stored);
    warnIntensities(io, `${file}${suffix ? ` frame ${suffix.slice(2)}` : ''}`, replaced, scale);
    const [d, h, w] = volume.shape;
    const spacing = image.spacing.slice(-3);
    const result = await segmenter.segmentVolume(
      volume,
      spacing.length === 3 ? { spacing: spacing as [number, number, number] } : {},
    );
    const out = join(options.out, `${stem}${suffix}_myo.nii.gz`);
    const mask = image.shape.length === 2 ? ndarray(result.mask.data, [h, w]) : result.mask;
    await writeFileAtomic(
      out,
      writeNifti(mask, {
        datatype: 'uint8',
        affine: image.affine,
        spacing: image.spacing.slice(-mask.shape.length),
      }),
    );
    if (options.png) {
      for (let z = 0; z < d; z++) {
        const slice = ndarray(volume.data.slice(z * h * w, (z + 1) * h * w), [h, w]);
        const png = overlayPng(slice, [
          { mask: result.slices[z].mask, color: [230, 60, 40], opacity: 0.4, outline: true },
        ]);
        await writeFileAtomic(join(options.out, `${stem}${suffix}_z${String(z).padStart(2, '0')}.png`), png);
      }
    }
    outputs.push({
      file: out,
      slices: d,
      found: result.slices.filter((s) => s.found).length,
      volumeMl: result.volumeMl,
      nonFiniteVoxels: replaced,
      intensityScale: scale,
    });
  }
  return outputs;
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
  for (const stem of stems) {
    const path = join(out, `${stem}_myo.nii.gz`);
    const info = await lstat(path).catch(() => undefined);
    if (info?.isDirectory())
      throw new OutputFolderError(`--out ${out}: ${path} is a folder, where the mask of an input would go`);
  }
  await ensureOutputFolder(out);
  // what an earlier run killed in the middle of writing these outputs left
  await removeStaleTemporaries(out, (target) => stems.some((stem) => target.startsWith(`${stem}_`)));
}

/**
 * `myoseg segment INPUT...`: segments NIfTI images (files, folders, an ACDC root) with a trained model folder,
 * writing `<name>_myo.nii.gz` masks with the input's shape, spacing and affine (names made unique, see
 * {@link outputStems}). One failing file, or an unreadable entry of an input folder, does not stop the others; the
 * exit code is 1 when any failed.
 */
export async function segmentCommand(
  io: CliIo,
  inputs: readonly string[],
  options: SegmentOptions,
): Promise<number> {
  runtimeOption(options.runtime); // a bad --runtime is refused before any work
  const { files, failed } = await niftiInputs(inputs);
  const stems = outputStems(files);
  await checkMaskOutputs(options.out, stems);
  for (const f of failed) io.err(`failed: ${f.error}`);
  const done: WrittenMask[] = [];
  const fail = (f: FailedInput) => {
    failed.push(f);
    io.err(`failed: ${f.error}`);
  };
  if (files.length > 0) {
    await initBackend({ prefer: options.backend as never, env: io.env });
    const loaded = await loadModelForInference(io, options.model, options.runtime, {
      allowIncomplete: options.allowIncomplete,
    });
    try {
      for (const [i, file] of files.entries()) {
        io.status(`[segment] ${i + 1}/${files.length} ${basename(file)}`);
        try {
          done.push(...(await segmentFile(file, stems[i], loaded.pipeline, options, io)));
        } catch (e) {
          const message = (e as Error).message.split('\n')[0];
          fail({ file, error: message.startsWith(file) ? message : `${file}: ${message}` });
        }
      }
    } finally {
      loaded.dispose();
    }
  }
  if (options.json) io.out(JSON.stringify({ written: done, failed }));
  else {
    for (const d of done)
      io.out(
        `${d.file}  ${d.found}/${d.slices} slices${d.volumeMl === undefined ? '' : `  ${d.volumeMl.toFixed(1)} ml`}`,
      );
    io.out(`${done.length} written, ${failed.length} failed`);
  }
  return failed.length > 0 ? 1 : 0;
}
