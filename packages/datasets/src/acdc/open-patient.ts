import { type AxisCodes, orientationOf } from '@myoseg/core';
import { AcdcFormatError } from '../errors';
import { bestAffine } from '../nifti/affine';
import type { NiftiHeader } from '../nifti/header';
import { type NiftiImage, type NiftiReadOptions, readNifti, readNiftiHeader } from '../nifti/read';
import { parseInfoCfg } from './info-cfg';
import type { AcdcFolder, AcdcFrame, AcdcPatient, CardiacPhase } from './types';

/** Enough of a file's start to hold a NIfTI header, compressed or not. */
const HEADER_PREFIX_BYTES = 8192;

/** Options of {@link openAcdcPatient}. */
export interface OpenPatientOptions {
  /** The patient id; default the folder name's last part (e.g. `patient001`). */
  id?: string;
  /** The subset the patient belongs to; default `""`. */
  subset?: string;
  /** A faster gzip decoder for the NIfTI files (see {@link NiftiReadOptions.gunzip}). */
  gunzip?: (gz: Uint8Array) => Uint8Array;
}

function frameName(id: string, frame: number): string {
  return `${id}_frame${String(frame).padStart(2, '0')}`;
}

/** The file named `stem` + `.nii.gz`, else `stem` + `.nii`. */
function findNifti(files: readonly string[], stem: string, folder: string, required: true): string;
function findNifti(files: readonly string[], stem: string, folder: string, required: false): string | null;
function findNifti(files: readonly string[], stem: string, folder: string, required: boolean): string | null {
  for (const ext of ['.nii.gz', '.nii']) if (files.includes(stem + ext)) return stem + ext;
  if (required) throw new AcdcFormatError(`${folder}/${stem}.nii.gz`, 'file is missing');
  return null;
}

function spatialShape(header: NiftiHeader, file: string): [number, number, number] {
  const ndim = header.dim[0];
  const extra = header.dim.slice(4, ndim + 1);
  if (ndim < 2 || extra.some((n) => n !== 1)) {
    throw new AcdcFormatError(
      file,
      `expected a 3D volume, got dims ${header.dim.slice(1, ndim + 1).join('×')}`,
    );
  }
  return [ndim >= 3 ? header.dim[3] : 1, header.dim[2], header.dim[1]];
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/**
 * Opens one ACDC patient folder: parses `Info.cfg`, finds the ED/ES image and ground-truth files (`.nii.gz` or
 * `.nii`) and checks their headers (3D, same shape, positive spacing). Voxels are read only when a frame's
 * `image()`/`label()` (or `cine()`) is called, and are not kept.
 *
 * @param folder - the patient folder's files (see {@link AcdcFolder}).
 * @throws {@link AcdcFormatError} or {@link NiftiFormatError} naming the file at fault.
 */
export async function openAcdcPatient(
  folder: AcdcFolder,
  options: OpenPatientOptions = {},
): Promise<AcdcPatient> {
  const id = options.id ?? folder.name.split(/[\\/]/).filter(Boolean).pop() ?? folder.name;
  const path = (file: string) => `${folder.name}/${file}`;
  const files = await folder.list();
  if (!files.includes('Info.cfg')) throw new AcdcFormatError(path('Info.cfg'), 'file is missing');
  const info = parseInfoCfg(new TextDecoder().decode(await folder.read('Info.cfg')), path('Info.cfg'));

  const readImage = async (file: string): Promise<NiftiImage> =>
    readNifti(await folder.read(file), { name: path(file), gunzip: options.gunzip });
  const readHeader = async (file: string): Promise<NiftiHeader> =>
    readNiftiHeader(await folder.read(file, HEADER_PREFIX_BYTES), { name: path(file) });

  let shape: [number, number, number] | null = null;
  let spacing: [number, number, number] | null = null;
  let orientation: AxisCodes | null = null;
  let affine: number[][] = [];
  const frames = {} as Record<CardiacPhase, AcdcFrame>;
  for (const phase of ['ED', 'ES'] as const) {
    const frame = phase === 'ED' ? info.ed : info.es;
    const imageFile = findNifti(files, frameName(id, frame), folder.name, true);
    const labelFile = findNifti(files, `${frameName(id, frame)}_gt`, folder.name, true);
    for (const file of [imageFile, labelFile]) {
      const header = await readHeader(file);
      const fileShape = spatialShape(header, path(file));
      if (!shape) {
        shape = fileShape;
        affine = bestAffine(header);
        orientation = orientationOf(affine);
        spacing = [header.pixdim[3], header.pixdim[2], header.pixdim[1]].map(Math.abs) as [
          number,
          number,
          number,
        ];
        if (fileShape[0] === 1) spacing[0] = spacing[0] || 1;
        if (!spacing.every((s) => Number.isFinite(s) && s > 0)) {
          throw new AcdcFormatError(
            path(file),
            `pixdim gives spacing [${spacing.join(', ')}] mm (expected positive sizes)`,
          );
        }
      } else if (!sameShape(shape, fileShape)) {
        throw new AcdcFormatError(
          path(file),
          `shape [${fileShape.join(', ')}] differs from the ED image's [${shape.join(', ')}]`,
        );
      }
    }
    frames[phase] = {
      frame,
      imageFile: path(imageFile),
      labelFile: path(labelFile),
      image: () => readImage(imageFile),
      label: () => readImage(labelFile),
    };
  }
  const cineFile = findNifti(files, `${id}_4d`, folder.name, false);
  return {
    id,
    subset: options.subset ?? '',
    ...info,
    spacing: spacing!,
    shape: shape!,
    orientation,
    affine,
    frames,
    cineFile: cineFile ? path(cineFile) : null,
    cine: async () => {
      if (!cineFile) throw new AcdcFormatError(path(`${id}_4d.nii.gz`), 'file is missing');
      return readImage(cineFile);
    },
  };
}

/**
 * A patient folder held in memory (e.g. files fetched in a browser, or a synthesized patient).
 *
 * @param name - the folder's name (its last part is the default patient id).
 * @param files - file name → bytes, e.g. `{ 'Info.cfg': …, 'patient001_frame01.nii.gz': … }`.
 */
export function memoryFolder(name: string, files: Readonly<Record<string, Uint8Array>>): AcdcFolder {
  return {
    name,
    list: async () => Object.keys(files),
    read: async (file) => {
      const bytes = files[file];
      if (!bytes) throw new AcdcFormatError(`${name}/${file}`, 'file is missing');
      return bytes;
    },
  };
}
