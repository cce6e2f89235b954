import { readdir, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { openAcdcPatient } from '../acdc/open-patient';
import { skippedItem } from '../acdc/slices';
import type { AcdcPatient, SkippedItem } from '../acdc/types';
import { AcdcFormatError, InvalidOptionError } from '../errors';
import { fsFolder } from './fs-folder';

/** Options of {@link loadAcdc}. */
export interface LoadAcdcOptions {
  /** Which subset folders to read when the root holds them; default `['training', 'testing']`. */
  subsets?: readonly string[];
  /** `throw` (default): the first bad patient fails the load; `skip`: it is left out and reported. */
  onError?: 'throw' | 'skip';
}

/** The outcome of {@link loadAcdc}. */
export interface AcdcCohort {
  /** Patients in subset then id order, their voxels not read yet. */
  patients: AcdcPatient[];
  /** Patients left out by `onError: 'skip'`, with the file and reason. */
  skipped: SkippedItem[];
}

const PATIENT = /^patient\d+$/;

async function isDir(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** The `patientNNN` folders in `dir`, symbolic links to folders included (common for data trees on clusters). */
async function patientDirs(dir: string): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => PATIENT.test(n)).sort();
  const isFolder = await Promise.all(names.map((n) => isDir(join(dir, n))));
  return names.filter((_, i) => isFolder[i]);
}

/**
 * Opens an ACDC copy on disk (Node only). `root` may hold `training/` and `testing/`, or be one of them (or any
 * folder of `patientNNN/` folders). Each patient's `Info.cfg` and NIfTI headers are read now; voxels are read
 * only by `frame.image()`/`label()`/`cine()` (e.g. through `toSlices`), so 150 patients never sit in memory.
 * Gzip is decoded with Node's zlib (CRC-checked).
 *
 * @throws `AcdcFormatError` when `root` holds no patients; with `onError: 'throw'`, the first patient's
 *   `AcdcFormatError` or `NiftiFormatError` (both exported by `@myoseg/datasets`).
 */
export async function loadAcdc(root: string, options: LoadAcdcOptions = {}): Promise<AcdcCohort> {
  const subsets = options.subsets ?? ['training', 'testing'];
  const onError = options.onError ?? 'throw';
  if (
    !Array.isArray(subsets) ||
    subsets.length === 0 ||
    !subsets.every((s) => typeof s === 'string' && s !== '')
  ) {
    throw new InvalidOptionError(
      `loadAcdc: subsets must be a non-empty list of folder names, got ${JSON.stringify(subsets)}`,
    );
  }
  if (onError !== 'throw' && onError !== 'skip') {
    throw new InvalidOptionError(
      `loadAcdc: onError is ${JSON.stringify(onError)} (expected 'throw' or 'skip')`,
    );
  }
  const top = resolve(root);
  if (!(await isDir(top))) throw new AcdcFormatError(root, 'is not a folder');
  const folders: { subset: string; dir: string }[] = [];
  const present = [];
  for (const subset of subsets) if (await isDir(join(top, subset))) present.push(subset);
  if (present.length > 0) {
    for (const subset of present) {
      for (const name of await patientDirs(join(top, subset)))
        folders.push({ subset, dir: join(top, subset, name) });
    }
  } else {
    for (const name of await patientDirs(top)) folders.push({ subset: basename(top), dir: join(top, name) });
  }
  if (folders.length === 0) {
    throw new AcdcFormatError(
      root,
      `holds no patientNNN folders (nor ${subsets.map((s) => `${s}/`).join(', ')})`,
    );
  }
  const cohort: AcdcCohort = { patients: [], skipped: [] };
  for (const { subset, dir } of folders) {
    try {
      cohort.patients.push(
        await openAcdcPatient(fsFolder(dir), { id: basename(dir), subset, gunzip: gunzipSync }),
      );
    } catch (error) {
      if (onError === 'throw') throw error;
      cohort.skipped.push(skippedItem(basename(dir), error));
    }
  }
  return cohort;
}
