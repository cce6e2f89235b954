import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { holdsDicom, startsLikeDicom } from '@myoseg/datasets/node';
import { type FailedInput, niftiInputs, outputStems } from '../cli/segment-inputs';
import { InputError } from '../errors';
import type { Shard } from './shard';
import { studiesOfShard } from './shard';
import { readStudyList } from './study-list';

/** One study of a `segment` run: an image file and its output name. */
export interface Study {
  /** The image file, absolute. */
  input: string;
  /** Output name stem: `<name>_myo.nii.gz`, `<name>.study.json`. */
  name: string;
  /** `dicom`: a folder (or file) of DICOM images, read as one series; default NIfTI. */
  kind?: 'nifti' | 'dicom';
}

/** What a `segment` run has to do: its studies (this shard's), and the inputs that failed before any work. */
export interface StudyPlan {
  /** This shard's studies, in the order they run. */
  studies: Study[];
  /** Unusable entries of input folders and of the `--list` (missing, not NIfTI): each a failed study. */
  failed: FailedInput[];
  /** Studies of the whole run, before sharding. */
  total: number;
}

const NIFTI = /\.nii(\.gz)?$/;

/** Whether an input argument is a DICOM study: a DICOM file, or a folder with DICOM files and no NIfTI image. */
async function isDicomInput(input: string): Promise<boolean> {
  const info = await stat(input).catch(() => null);
  if (!info) return false;
  if (!info.isDirectory()) return !NIFTI.test(input) && (await startsLikeDicom(input).catch(() => false));
  const hasNifti = await niftiInputs([input]).then(
    () => true,
    () => false,
  );
  return !hasNifti && (await holdsDicom(input).catch(() => false));
}

/**
 * The studies of a run: the images of `inputs` (files, folders, an ACDC root) and of the `--list` file, named
 * uniquely (the list's names first, the others as {@link outputStems} derives them), then the shard's part.
 * A listed file that is missing or not NIfTI fails alone; unreadable folder entries are reported by shard 0 only,
 * so that a sharded run lists each once.
 *
 * @throws {@link InputError} for an input argument that cannot be used, a bad `--list`, two studies with one
 *   name, or nothing to segment.
 */
export async function planStudies(
  inputs: readonly string[],
  list: string | undefined,
  shard: Shard | null,
): Promise<StudyPlan> {
  if (inputs.length === 0 && !list)
    throw new InputError('segment: give NIfTI files or folders, or --list FILE');
  const dicom: string[] = [];
  const nifti: string[] = [];
  for (const input of inputs) ((await isDicomInput(input)) ? dicom : nifti).push(input);
  const found = nifti.length > 0 ? await niftiInputs(nifti) : { files: [], failed: [] };
  const failed: FailedInput[] = shard && shard.index !== 0 ? [] : [...found.failed];
  const listed: { input: string; name?: string }[] = [];
  for (const study of list ? await readStudyList(list) : []) {
    const info = await stat(study.input).catch(() => null);
    const error = !info
      ? 'no such file'
      : info.isDirectory()
        ? 'a folder (a --list names image files)'
        : !NIFTI.test(study.input)
          ? 'not a NIfTI file (expected .nii or .nii.gz)'
          : null;
    if (error) failed.push({ file: study.input, error: `${study.input}: ${error}` });
    else listed.push(study);
  }
  const entries: { input: string; name?: string; kind: Study['kind'] }[] = [
    ...found.files.map((input) => ({ input, kind: 'nifti' as const })),
    ...listed.map((s) => ({ ...s, kind: 'nifti' as const })),
    ...dicom.map((d) => ({ input: resolve(d), kind: 'dicom' as const })),
  ];
  const derived = outputStems(entries.map((e) => e.input));
  const byName = new Map<string, Study>();
  for (const [k, e] of entries.entries()) {
    const study: Study = { input: e.input, name: e.name ?? derived[k], kind: e.kind };
    const other = byName.get(study.name);
    if (!other) byName.set(study.name, study);
    else if (other.input !== study.input)
      throw new InputError(
        `${other.input} and ${study.input}: both would be written as ${study.name}_myo; name one in --list`,
      );
    // else: the same file given twice, segmented once
  }
  const unique = [...byName.values()];
  return { studies: studiesOfShard(unique, shard), failed, total: unique.length };
}
