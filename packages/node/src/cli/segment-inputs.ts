import { readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors';
import type { CliIo } from './io';

/** An input that `myoseg segment` could not use, and why (one line, naming it). */
export interface FailedInput {
  /** The file or folder. */
  file: string;
  /** What is wrong with it. */
  error: string;
}

/** What {@link niftiInputs} found: the images to segment, and the entries of input folders it could not use. */
export interface SegmentInputs {
  /** Image files as absolute paths, in the order found; a file reached by two paths (a symbolic link) once. */
  files: string[];
  /** Entries of input folders that could not be read: a dangling symbolic link, an unreadable folder. */
  failed: FailedInput[];
}

const NIFTI = /\.nii(\.gz)?$/;
/** What a folder walk leaves out: ground truth (`_gt`) and segment's own masks (`_myo`), which are not images. */
const NOT_IMAGE = /_(gt|myo)\.nii(\.gz)?$/;

/** A file name without `.nii` or `.nii.gz`. */
const niftiStem = (path: string): string => basename(path).replace(NIFTI, '');

const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'a dangling symbolic link (its target does not exist)',
  ENOTDIR: 'a path through a file, not a folder',
  ELOOP: 'a symbolic link loop',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

const unusable = (path: string, e: NodeJS.ErrnoException, what = 'cannot read'): FailedInput => ({
  file: path,
  error: `${path}: ${e.code && REASONS[e.code] ? REASONS[e.code] : what} (${e.code ?? e.message})`,
});

/**
 * Expands files and folders (an ACDC root too) into the image files to segment. Inside folders, ground truth
 * (`*_gt`) and segment's own masks (`*_myo`) are left out, a folder reached twice (a symbolic link loop) is walked
 * once, and an entry that cannot be read is recorded as a failure and the walk goes on.
 *
 * @throws {@link InputError} for an input argument that does not exist, is not a NIfTI file, or is a folder
 *   holding neither an image nor an unreadable entry.
 */
export async function niftiInputs(inputs: readonly string[]): Promise<SegmentInputs> {
  const found: SegmentInputs = { files: [], failed: [] };
  const seen = new Set<string>();
  let images = 0; // found, before duplicates are dropped
  const add = async (path: string) => {
    images++;
    const real = await realpath(path);
    if (!seen.has(real)) found.files.push(resolve(path));
    seen.add(real);
  };
  const walk = async (dir: string): Promise<void> => {
    const real = await realpath(dir);
    if (seen.has(real)) return;
    seen.add(real);
    let names: string[];
    try {
      names = (await readdir(dir)).sort();
    } catch (e) {
      found.failed.push(unusable(dir, e as NodeJS.ErrnoException, 'cannot list the folder'));
      return;
    }
    for (const name of names) {
      const child = join(dir, name);
      const info = await stat(child).catch((e: NodeJS.ErrnoException) => e);
      if (info instanceof Error) found.failed.push(unusable(child, info));
      else if (info.isDirectory()) await walk(child);
      else if (NIFTI.test(name) && !NOT_IMAGE.test(name)) await add(child);
    }
  };
  for (const input of inputs) {
    const info = await stat(input).catch(() => {
      throw new InputError(`${input}: no such file or folder`);
    });
    if (!info.isDirectory()) {
      if (!NIFTI.test(input)) throw new InputError(`${input}: not a NIfTI file (expected .nii or .nii.gz)`);
      await add(input);
      continue;
    }
    const before = images + found.failed.length;
    await walk(input);
    if (images + found.failed.length === before)
      throw new InputError(
        `${input}: holds no NIfTI image (.nii / .nii.gz; *_gt and *_myo files are not images)`,
      );
  }
  return found;
}

/**
 * One output name stem per input file, unique among them, decided before any work: the file's name without
 * `.nii`/`.nii.gz`; where inputs share it, their parent folders join it, as many as it takes (`a/x.nii.gz`,
 * `b/x.nii.gz` → `a_x`, `b_x`), and where they share the folder too, their extension (`x.nii`, `x.nii.gz` →
 * `x_nii`, `x_nii_gz`).
 *
 * @param files - distinct resolved paths.
 * @throws {@link InputError} in the rare case that this still gives two inputs the same name.
 */
export function outputStems(files: readonly string[]): string[] {
  const pathKey = (f: string) => join(dirname(f), niftiStem(f));
  const keys = files.map(pathKey);
  const keyCount = new Map<string, number>();
  for (const k of keys) keyCount.set(k, (keyCount.get(k) ?? 0) + 1);
  const parts = files.map((f, i) => {
    const twin = (keyCount.get(keys[i]) ?? 0) > 1;
    const ext = twin ? (NIFTI.exec(f)?.[0] ?? '').replaceAll('.', '_') : '';
    return { dirs: dirname(f).split(/[/\\]/).filter(Boolean), stem: `${niftiStem(f)}${ext}` };
  });
  const depth = files.map(() => 0);
  for (;;) {
    const names = parts.map((p, i) => [...p.dirs.slice(p.dirs.length - depth[i]), p.stem].join('_'));
    const count = new Map<string, number>();
    for (const n of names) count.set(n, (count.get(n) ?? 0) + 1);
    const clashing = names.flatMap((n, i) => ((count.get(n) ?? 0) > 1 ? [i] : []));
    if (clashing.length === 0) return names;
    const stuck = clashing.find((i) => depth[i] >= parts[i].dirs.length);
    if (stuck !== undefined) {
      const other = clashing.find((i) => i !== stuck && names[i] === names[stuck]) ?? stuck;
      throw new InputError(
        `${files[stuck]} and ${files[other]}: cannot give them different output names; rename one`,
      );
    }
    for (const i of clashing) depth[i]++;
  }
}

/**
 * Says on stderr what `finiteIntensities` changed in an input's voxels, if anything: how many non-finite voxels
 * were replaced, and the power of two a float64 image beyond float32's range was multiplied by.
 */
export function warnIntensities(io: Pick<CliIo, 'err'>, what: string, replaced: number, scale: number): void {
  if (scale !== 1)
    io.err(
      `warning: ${what}: float64 intensities beyond float32 range, multiplied by 2^${Math.log2(scale)} (segmentation is blind to scale)`,
    );
  if (replaced > 0)
    io.err(
      `warning: ${what}: ${replaced} voxel(s) NaN, ±Inf or beyond float32 range, replaced by their slice's finite min/max`,
    );
}
