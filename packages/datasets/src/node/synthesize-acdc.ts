import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { AcdcGroup } from '../acdc/types';
import { FileWriteError, InvalidOptionError } from '../errors';
import { deriveSeed } from '../random';
import { twinCohortLayout } from '../twin/cohort';
import { encodePatientFiles } from '../twin/files';
import { resolveTwinParams } from '../twin/params';
import { synthesizePatient, type TwinOptions } from '../twin/patient';
import { removeOnSignal } from './temporary-files';

/** Options of {@link synthesizeAcdc}. */
export interface SynthesizeAcdcOptions extends TwinOptions {
  /** Folder to write into; `training/` and `testing/` are created in it. */
  outDir: string;
  /** Also write each patient's `_4d.nii.gz` cine (slow, large); default false. */
  with4d?: boolean;
  /** Gzip level 0–9; default 1. */
  level?: number;
  /** Called after each patient is written (e.g. for progress). */
  onPatient?: (patient: WrittenPatient) => void;
}

/** A patient written by {@link synthesizeAcdc}. */
export interface WrittenPatient {
  /** Folder name, `patient001`… */
  id: string;
  /** `training` or `testing`. */
  subset: 'training' | 'testing';
  /** Diagnostic group. */
  group: AcdcGroup;
  /** The patient's folder. */
  dir: string;
  /** File names written in it. */
  files: string[];
}

/**
 * Writes a synthetic ACDC twin in ACDC's layout (Node only): `outDir/{training,testing}/patientNNN/` with
 * `Info.cfg`, `patientNNN_frameNN.nii.gz` and `patientNNN_frameNN_gt.nii.gz` for ED and ES (and `_4d.nii.gz`
 * with `with4d`). Each patient folder is written atomically (a hidden temporary folder, then a rename; an existing
 * one is replaced), so an interrupted run leaves whole patients only; temporary folders that a killed run left
 * are removed. The same seed and options give the same bytes.
 *
 * @returns the written patients in id order.
 * @throws `InvalidOptionError` (from `@myoseg/datasets`) for bad options; nothing is written then.
 */
export async function synthesizeAcdc(options: SynthesizeAcdcOptions): Promise<WrittenPatient[]> {
  if (typeof options.outDir !== 'string' || options.outDir === '') {
    throw new InvalidOptionError('synthesizeAcdc: outDir must be a folder path');
  }
  const layout = twinCohortLayout(options.patients);
  deriveSeed(options.seed);
  resolveTwinParams(options.params);
  const level = options.level ?? 1;
  if (!Number.isInteger(level) || level < 0 || level > 9) {
    throw new InvalidOptionError(`synthesizeAcdc: level must be an integer 0–9, got ${level}`);
  }
  for (const subset of new Set(layout.map((s) => s.subset)))
    await removeStaleFolders(join(options.outDir, subset));
  const written: WrittenPatient[] = [];
  for (const slot of layout) {
    const patient = synthesizePatient(slot.index, options);
    const files = encodePatientFiles(patient, {
      with4d: options.with4d,
      gzip: (nii) => gzipSync(nii, { level }),
    });
    const dir = join(options.outDir, slot.subset, slot.id);
    await writePatientFolder(dir, files);
    const entry = { id: slot.id, subset: slot.subset, group: slot.group, dir, files: Object.keys(files) };
    options.onPatient?.(entry);
    written.push(entry);
  }
  return written;
}

const STALE = /^\.patient\d+\.tmp-[0-9a-f]+$/;

/** Writes one patient's files into a hidden sibling folder, then renames it into place (replacing `dir`). */
async function writePatientFolder(dir: string, files: Record<string, Uint8Array | string>): Promise<void> {
  const tmp = join(dirname(dir), `.${basename(dir)}.tmp-${randomBytes(4).toString('hex')}`);
  const release = removeOnSignal(tmp);
  try {
    await mkdir(tmp, { recursive: true });
    for (const [name, bytes] of Object.entries(files)) await writeFile(join(tmp, name), bytes);
    await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
  } catch (error) {
    await rm(tmp, { recursive: true, force: true });
    throw new FileWriteError(dir, error);
  } finally {
    release();
  }
}

/** Removes the temporary patient folders that a killed run left in `subsetDir`. */
async function removeStaleFolders(subsetDir: string): Promise<void> {
  const names = await readdir(subsetDir).catch(() => [] as string[]);
  for (const name of names.filter((n) => STALE.test(n)))
    await rm(join(subsetDir, name), { recursive: true, force: true });
}
