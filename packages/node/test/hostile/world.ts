import '@tensorflow/tfjs-backend-cpu';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type NiftiImage, readNifti, type TwinParamsInput, writeNifti } from '@myoseg/datasets';
import { synthesizeAcdc } from '@myoseg/datasets/node';
import * as tf from '@tensorflow/tfjs-core';
import ndarray from 'ndarray';
// the same tiny, untrained pipeline as the model folder format's own tests
import { disposePipeline, tinyPipeline } from '../../../models/src/files/test-support';
import { savePipelineFolder } from '../../src/files/pipeline-folder';

/** What every hostile case may use, built once: a tiny model folder, a tiny twin cohort, a small scan. */
export interface World {
  /** The root of everything the suite writes. */
  root: string;
  /** A model folder of an untrained tiny pipeline whose threshold finds the myocardium on every slice. */
  model: string;
  /** An ACDC-layout twin cohort of 3 small patients (written by `synthesizeAcdc`, as `myoseg synth` does). */
  cohort: string;
  /** A 3-slice int16 scan `[3, 40, 48]` with its spacing. */
  scan: NiftiImage;
}

/** Twin patients small enough to segment in milliseconds. */
const SMALL: TwinParamsInput = { imageSizes: [[48, 56]], fieldOfViewMm: [200, 200], frameCount: [4, 5] };

/**
 * Builds the {@link World} under `root`. The model's threshold is lowered so that the untrained localizer finds a
 * region on every finite slice: a slice whose mask is empty was dropped, not judged.
 */
export async function buildWorld(root: string): Promise<World> {
  await tf.setBackend('cpu');
  const model = join(root, 'model');
  const trained = tinyPipeline();
  await savePipelineFolder(model, trained);
  disposePipeline(trained);
  const manifest = JSON.parse(await readFile(join(model, 'myoseg.json'), 'utf8'));
  await writeFile(join(model, 'myoseg.json'), JSON.stringify({ ...manifest, threshold: 1e-4 }));
  const cohort = join(root, 'cohort');
  await synthesizeAcdc({ patients: 3, seed: 5, outDir: cohort, params: SMALL });
  const frame = join(cohort, 'training', 'patient001', 'patient001_frame01.nii.gz');
  const full = readNifti(await readFile(frame), { gunzip: gunzipSync });
  const [d, h, w] = full.shape;
  const mid = Math.floor(d / 2);
  const cut = full.volume.hi(mid + 2, Math.min(h, 40), Math.min(w, 48)).lo(mid - 1, 0, 0);
  const data = new Int16Array(3 * 40 * 48);
  for (let z = 0; z < 3; z++)
    for (let y = 0; y < 40; y++) for (let x = 0; x < 48; x++) data[(z * 40 + y) * 48 + x] = cut.get(z, y, x);
  const bytes = writeNifti(ndarray(data, [3, 40, 48]), { spacing: full.spacing });
  return { root, model, cohort, scan: readNifti(bytes, { gunzip: gunzipSync }) };
}

/** The scan's voxels as float64 (a copy), for variants with NaN, ±∞ or huge values. */
export const scanValues = (world: World): Float64Array =>
  Float64Array.from(world.scan.data as ArrayLike<number>);

/** Options of {@link niftiFile}. */
export interface NiftiFileOptions {
  /** The stored datatype (default float32). */
  datatype?: 'float32' | 'float64' | 'int16' | 'uint8';
  /** Gzip (default true). */
  gzip?: boolean;
  /** Voxel sizes, one per axis of the shape (default 1 mm). */
  spacing?: readonly number[];
}

/** `values` as a NIfTI file of `shape`. */
export function niftiFile(
  values: ArrayLike<number>,
  shape: number[],
  options: NiftiFileOptions = {},
): Uint8Array {
  const datatype = options.datatype ?? 'float32';
  const array = datatype === 'float64' ? Float64Array.from(values) : Float32Array.from(values);
  return writeNifti(ndarray(array, shape), { datatype, gzip: options.gzip, spacing: options.spacing });
}

/** `values` as a NIfTI file of the scan's shape and spacing, or of `shape` (then 1 mm voxels). */
export function scanFile(
  world: World,
  values: ArrayLike<number>,
  options: Omit<NiftiFileOptions, 'spacing'> & { shape?: number[] } = {},
): Uint8Array {
  const { shape, ...rest } = options;
  return niftiFile(values, shape ?? world.scan.shape, {
    ...rest,
    spacing: shape ? undefined : world.scan.spacing,
  });
}
