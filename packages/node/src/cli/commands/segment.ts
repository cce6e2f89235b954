import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type NiftiImage, readNifti, writeNifti } from '@myoseg/datasets';
import { writeFileAtomic } from '@myoseg/datasets/node';
import type { MyocardiumPipeline } from '@myoseg/models';
import ndarray from 'ndarray';
import { initBackend } from '../../backend';
import { InputError } from '../../errors';
import { overlayPng } from '../../report';
import type { CliIo } from '../io';
import { loadModelForInference } from '../model-folder';
import { ensureOutputFolder } from '../output';

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

const NIFTI = /\.nii(\.gz)?$/;
const stem = (path: string) => basename(path).replace(NIFTI, '');

/** Expands files and folders (an ACDC root too) into the image files to segment; label files are left out. */
export async function niftiInputs(inputs: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  const walk = async (path: string, top: string): Promise<void> => {
    const info = await stat(path).catch(() => {
      throw new InputError(`${top}: no such file or folder`);
    });
    if (info.isDirectory()) {
      for (const name of (await readdir(path)).sort()) {
        const child = join(path, name);
        if ((await stat(child)).isDirectory() || (NIFTI.test(name) && !/_gt\.nii(\.gz)?$/.test(name)))
          await walk(child, top);
      }
      return;
    }
    if (!NIFTI.test(path)) throw new InputError(`${path}: not a NIfTI file (expected .nii or .nii.gz)`);
    files.push(resolve(path));
  };
  for (const input of inputs) {
    const before = files.length;
    await walk(input, input);
    if (files.length === before)
      throw new InputError(`${input}: holds no NIfTI image (.nii / .nii.gz; *_gt files are labels)`);
  }
  return files;
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
function volumesOf(file: string, image: NiftiImage, frames: readonly number[] | undefined) {
  const v = image.volume;
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

/** Segments every slice of one file and writes `<name>_myo.nii.gz` (and overlays); returns the outputs. */
async function segmentFile(file: string, segmenter: MyocardiumPipeline, options: SegmentOptions) {
  const image = readNifti(await readFile(file), { name: file, gunzip: (b) => gunzipSync(b) });
  assertNotLabels(file, image);
  const outputs: { file: string; slices: number; found: number; volumeMl?: number }[] = [];
  for (const { suffix, volume } of volumesOf(file, image, options.frames)) {
    const [d, h, w] = volume.shape;
    const spacing = image.spacing.slice(-3);
    const result = await segmenter.segmentVolume(
      volume,
      spacing.length === 3 ? { spacing: spacing as [number, number, number] } : {},
    );
    const out = join(options.out, `${stem(file)}${suffix}_myo.nii.gz`);
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
        const slice = ndarray(Float32Array.from(sliceValues(volume, z)), [h, w]);
        const png = overlayPng(slice, [
          { mask: result.slices[z].mask, color: [230, 60, 40], opacity: 0.4, outline: true },
        ]);
        await writeFileAtomic(
          join(options.out, `${stem(file)}${suffix}_z${String(z).padStart(2, '0')}.png`),
          png,
        );
      }
    }
    outputs.push({
      file: out,
      slices: d,
      found: result.slices.filter((s) => s.found).length,
      volumeMl: result.volumeMl,
    });
  }
  return outputs;
}

function sliceValues(volume: ndarray.NdArray, z: number): number[] {
  const [, h, w] = volume.shape;
  const out = new Array<number>(h * w);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[y * w + x] = volume.get(z, y, x);
  return out;
}

/**
 * `myoseg segment INPUT...`: segments NIfTI images (files, folders, an ACDC root) with a trained model folder,
 * writing `<name>_myo.nii.gz` masks with the input's shape, spacing and affine. One failing file does not stop
 * the others; the exit code is 1 when any failed.
 */
export async function segmentCommand(
  io: CliIo,
  inputs: readonly string[],
  options: SegmentOptions,
): Promise<number> {
  const files = await niftiInputs(inputs);
  await ensureOutputFolder(options.out);
  await initBackend({ prefer: options.backend as never, env: io.env });
  const loaded = await loadModelForInference(io, options.model, options.runtime, {
    allowIncomplete: options.allowIncomplete,
  });
  const done: Awaited<ReturnType<typeof segmentFile>> = [];
  const failed: { file: string; error: string }[] = [];
  try {
    for (const [i, file] of files.entries()) {
      io.status(`[segment] ${i + 1}/${files.length} ${basename(file)}`);
      try {
        done.push(...(await segmentFile(file, loaded.pipeline, options)));
      } catch (e) {
        failed.push({ file, error: (e as Error).message });
        io.err(`failed: ${(e as Error).message}`);
      }
    }
  } finally {
    loaded.dispose();
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
