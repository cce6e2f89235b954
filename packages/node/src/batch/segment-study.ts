import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { finiteIntensities } from '@myoseg/core';
import { type NiftiImage, parseInfoCfg, readNifti, writeNifti } from '@myoseg/datasets';
import { writeFileAtomic } from '@myoseg/datasets/node';
import { MYOCARDIUM_DENSITY_G_PER_ML, type MyocardiumPipeline, type VolumeResult } from '@myoseg/models';
import ndarray from 'ndarray';
import type { CliIo } from '../cli/io';
import { warnIntensities } from '../cli/segment-inputs';
import { InputError } from '../errors';
import { overlayPng } from '../report';
import { type FrameMeasure, slicesFound, writeStudyLabels } from './label-outputs';
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
  /**
   * What to write (default `['nifti']`): `nifti`, the label map with its tables; `seg`, a DICOM SEG
   * `<name>_seg.dcm` over the source series (DICOM inputs only). The measures are written either way.
   */
  formats?: readonly OutputFormat[];
}

/** The mask formats `myoseg segment --format` writes. */
export type OutputFormat = 'nifti' | 'seg';

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

/**
 * The frames to segment of a cine with `t` frames: `frames`, or all of them.
 *
 * @throws `InputError` naming `source` and the frames there are (`${has} ${t} ${unit}`) for one that does not exist.
 */
export function chosenFrames(
  source: string,
  frames: readonly number[] | undefined,
  t: number,
  has: string,
  unit: string,
): number[] {
  const chosen = frames ? [...frames] : Array.from({ length: t }, (_, i) => i);
  for (const f of chosen)
    if (!Number.isInteger(f) || f < 0 || f >= t)
      throw new InputError(`${source}: frame ${f} does not exist (${has} ${t} ${unit}, 0–${t - 1})`);
  return chosen;
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
  if (image.shape.length === 2)
    return [{ suffix: '', frame: 0, volume: ndarray(v.data, [1, v.shape[0], v.shape[1]]) }];
  if (image.shape.length === 3) return [{ suffix: '', frame: 0, volume: v }];
  if (image.shape.length === 4) {
    return chosenFrames(file, frames, image.shape[0], 'the file has', 'frames').map((f) => ({
      suffix: `_t${String(f).padStart(2, '0')}`,
      frame: f,
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
  /** The frame's row of `<name>_measures.csv` (frame, ED/ES, myocardial ml and g, LV cavity ml); absent for 2D. */
  measures?: FrameMeasure;
}

/**
 * Segments every slice of one file: a 2D image as one slice, a stack or the chosen frames of a cine together (one
 * volume-consistent localization over all frames), written by `writeStudyLabels` as one label map with the input's
 * affine (4D for several frames), label tables and measures; overlays with `png`. Intensities are made finite
 * float32 first (`finiteIntensities`), with a warning on stderr when that changed any.
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
  const stored = volumesOf(file, image, options.frames, io);
  const finite = stored.map(({ suffix, volume }) => {
    const f = finiteIntensities(volume);
    warnIntensities(io, `${file}${suffix ? ` frame ${suffix.slice(2)}` : ''}`, f.replaced, f.scale);
    return f;
  });
  const [d, h, w] = finite[0].image.shape;
  const files: string[] = [];
  let results: VolumeResult[];
  let measures: FrameMeasure[] = [];
  if (image.shape.length === 2) {
    // a 2D image is one slice as stored
    results = [await segmenter.segmentVolume(finite[0].image)];
    const out = join(options.out, `${stem}_myo.nii.gz`);
    await writeFileAtomic(
      out,
      writeNifti(ndarray(results[0].mask.data, [h, w]), {
        datatype: 'uint8',
        affine: image.affine,
        spacing: image.spacing,
        intent: 'label',
      }),
    );
    files.push(out);
  } else {
    const spacing = image.spacing.slice(-3) as [number, number, number];
    const cine = new Float32Array(finite.length * d * h * w);
    finite.forEach((f, k) => {
      cine.set(f.image.data, k * d * h * w);
    });
    results = await segmenter.segmentCine(ndarray(cine, [finite.length, d, h, w]), {
      spacing,
      affine: image.affine,
    });
    const written = await writeStudyLabels({
      out: options.out,
      stem,
      results,
      frames: stored.map((s) => s.frame),
      affine: image.affine,
      spacing,
    });
    files.push(...written.files);
    measures = written.measures;
    if (image.shape.length === 4) await checkInfoCfg(file, written.measures, io);
  }
  if (options.png) {
    for (const [k, { suffix }] of stored.entries()) {
      for (let z = 0; z < d; z++) {
        const slice = ndarray(finite[k].image.data.slice(z * h * w, (z + 1) * h * w), [h, w]);
        const png = overlayPng(slice, [
          { mask: results[k].mask.pick(z, null, null), color: [230, 60, 40], opacity: 0.4, outline: true },
        ]);
        const name = join(options.out, `${stem}${suffix}_z${String(z).padStart(2, '0')}.png`);
        await writeFileAtomic(name, png);
        files.push(name);
      }
    }
  }
  const masks = results.map((r, k) => ({
    file: files[0],
    slices: d,
    found: slicesFound(r.mask),
    volumeMl: image.shape.length === 2 ? undefined : r.volumeMl,
    nonFiniteVoxels: finite[k].replaced,
    intensityScale: finite[k].scale,
    ...(measures[k] ? { measures: measures[k] } : {}),
  }));
  return { masks, files };
}

/** Says on stderr when the `Info.cfg` beside a cine names other ED/ES frames than its LV cavity curve. */
async function checkInfoCfg(file: string, measures: readonly FrameMeasure[], io: Pick<CliIo, 'err'>) {
  const text = await readFile(join(dirname(file), 'Info.cfg'), 'utf8').catch(() => null);
  if (text === null) return;
  let info: { ed: number; es: number };
  try {
    info = parseInfoCfg(text, join(dirname(file), 'Info.cfg'));
  } catch {
    return;
  }
  const ed = measures.find((m) => m.phase === 'ED')?.frame;
  const es = measures.find((m) => m.phase === 'ES')?.frame;
  if (ed === undefined || es === undefined) return;
  if (ed + 1 !== info.ed || es + 1 !== info.es)
    io.err(
      `note: ${file}: Info.cfg gives ED frame ${info.ed}, ES frame ${info.es}; the LV cavity curve gives ED ${ed + 1}, ES ${es + 1} (1-based)`,
    );
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
  if (options.formats?.includes('seg') && study.kind !== 'dicom')
    throw new InputError(
      `${study.input}: --format seg needs a DICOM input (a SEG references the source's SOP instances, and a NIfTI image has none); use --format nifti`,
    );
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
