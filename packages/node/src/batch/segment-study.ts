import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { finiteIntensities } from '@myoseg/core';
import { type NiftiImage, readNifti, writeNifti } from '@myoseg/datasets';
import { writeFileAtomic } from '@myoseg/datasets/node';
import { MYOCARDIUM_DENSITY_G_PER_ML, type MyocardiumPipeline } from '@myoseg/models';
import ndarray from 'ndarray';
import type { CliIo } from '../cli/io';
import { warnIntensities } from '../cli/segment-inputs';
import { InputError } from '../errors';
import { overlayPng } from '../report';
import { segmentDicomStudy } from './segment-dicom';
import type { Study } from './studies';
import { type StudyRecord, studyRecordPath, writeStudyRecord } from './study-record';

/** What one study's segmentation writes: into `out`, which frames of a 4D input, overlays or not. */
export interface StudyOutputOptions {
  /** Output folder. */
  out: string;
  /** 4D inputs: which time frames (0-based); default all. */
  frames?: number[];
  /** Also write one overlay PNG per slice (NIfTI inputs). */
  png?: boolean;
  /** DICOM inputs: which series (a SeriesInstanceUID, or `auto`: the short-axis stack). */
  series?: string;
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
function volumesOf(
  file: string,
  image: NiftiImage,
  frames: readonly number[] | undefined,
  io: Pick<CliIo, 'err'>,
) {
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
export interface WrittenMask {
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
  options: StudyOutputOptions,
  io: Pick<CliIo, 'err'>,
): Promise<{ masks: WrittenMask[]; files: string[] }> {
  const image = readNifti(await readFile(file), { name: file, gunzip: (b) => gunzipSync(b) });
  assertNotLabels(file, image);
  const outputs: WrittenMask[] = [];
  const files: string[] = [];
  for (const { suffix, volume: stored } of volumesOf(file, image, options.frames, io)) {
    const { image: volume, replaced, scale } = finiteIntensities(stored);
    warnIntensities(io, `${file}${suffix ? ` frame ${suffix.slice(2)}` : ''}`, replaced, scale);
    const [d, h, w] = volume.shape;
    const spacing = image.spacing.slice(-3);
    // a 2D image is one slice as stored; a stack is turned to the model's orientation by its affine
    const result = await segmenter.segmentVolume(
      volume,
      spacing.length === 3 ? { spacing: spacing as [number, number, number], affine: image.affine } : {},
    );
    const out = join(options.out, `${stem}${suffix}_myo.nii.gz`);
    const mask = image.shape.length === 2 ? ndarray(result.mask.data, [h, w]) : result.mask;
    files.push(out);
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
          { mask: result.mask.pick(z, null, null), color: [230, 60, 40], opacity: 0.4, outline: true },
        ]);
        const file = join(options.out, `${stem}${suffix}_z${String(z).padStart(2, '0')}.png`);
        await writeFileAtomic(file, png);
        files.push(file);
      }
    }
    outputs.push({
      file: out,
      slices: d,
      found: Array.from({ length: d }, (_, z) => z).filter((z) =>
        result.mask.data.subarray(z * h * w, (z + 1) * h * w).some((v) => v > 0),
      ).length,
      volumeMl: result.volumeMl,
      nonFiniteVoxels: replaced,
      intensityScale: scale,
    });
  }
  return { masks: outputs, files };
}

/**
 * Segments one study and writes its masks (and overlays), then its `<name>.study.json` record last: what
 * `myoseg segment` and a queue worker do for each study, so that both write the same files. A record left from
 * an earlier run is removed first, so a study killed half-way is never taken for done.
 *
 * @throws the input's typed error (unreadable, not an image, a label map) or the write's.
 */
export async function segmentStudy(
  study: Study,
  pipeline: MyocardiumPipeline,
  options: StudyOutputOptions,
  io: Pick<CliIo, 'err'>,
): Promise<{ record: StudyRecord; masks: WrittenMask[] }> {
  const t0 = performance.now();
  await rm(studyRecordPath(options.out, study.name), { force: true });
  const written =
    study.kind === 'dicom'
      ? await segmentDicomStudy(study.input, study.name, pipeline, options, io)
      : await segmentFile(study.input, study.name, pipeline, options, io);
  const volumeMl = written.masks.map((m) => m.volumeMl ?? null);
  const record = await writeStudyRecord(
    options.out,
    {
      id: study.name,
      input: study.input,
      slices: written.masks.reduce((a, m) => a + m.slices, 0),
      volumeMl,
      massG: volumeMl.map((v) => (v === null ? null : v * MYOCARDIUM_DENSITY_G_PER_ML)),
      seconds: (performance.now() - t0) / 1000,
    },
    written.files,
  );
  return { record, masks: written.masks };
}
