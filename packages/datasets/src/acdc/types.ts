import type { AxisCodes } from '@myoseg/core';
import type { NdArray } from 'ndarray';
import type { NiftiImage } from '../nifti/read';

/** The five ACDC diagnostic groups: normal, previous infarction, dilated, hypertrophic, abnormal right ventricle. */
export type AcdcGroup = 'NOR' | 'MINF' | 'DCM' | 'HCM' | 'RV';

/** The ACDC groups in the order the dataset numbers its patients (DCM first). */
export const ACDC_GROUPS: readonly AcdcGroup[] = ['DCM', 'HCM', 'MINF', 'NOR', 'RV'];

/** A cardiac phase with a ground truth in ACDC: end-diastole or end-systole. */
export type CardiacPhase = 'ED' | 'ES';

/** The content of a patient's `Info.cfg`. */
export interface AcdcInfo {
  /** End-diastolic frame number (1-based, as in `patientNNN_frameNN.nii.gz`). */
  ed: number;
  /** End-systolic frame number (1-based). */
  es: number;
  /** Diagnostic group. */
  group: AcdcGroup;
  /** Height in cm. */
  height: number;
  /** Weight in kg. */
  weight: number;
  /** Number of frames in the cine (`_4d`) file. */
  nbFrames: number;
}

/** One labelled frame (ED or ES) of a patient, read from disk only when asked. */
export interface AcdcFrame {
  /** Frame number (1-based). */
  frame: number;
  /** The image file's path (for messages). */
  imageFile: string;
  /** The ground-truth file's path. */
  labelFile: string;
  /** Reads the image volume, `[D, H, W]`. */
  image(): Promise<NiftiImage>;
  /** Reads the label volume, `[D, H, W]`, values 0–3 (see `ACDC_LABELS` of `@myoseg/core`). */
  label(): Promise<NiftiImage>;
}

/** An ACDC patient: `Info.cfg`, the volumes' geometry, and lazy access to its frames. */
export interface AcdcPatient extends AcdcInfo {
  /** Folder name, e.g. `patient001`. */
  id: string;
  /** The subset folder it came from (`training`, `testing`, or the folder's name). */
  subset: string;
  /** Voxel size `[dz, dy, dx]` in mm (slice gap, then in-plane). */
  spacing: [number, number, number];
  /** Volume shape `[D, H, W]` of the ED and ES frames. */
  shape: [number, number, number];
  /**
   * Axis codes of the ED image's affine (`orientationOf` of `@myoseg/core`, e.g. `'RAS'`); null when the affine
   * has no orientation (a zero column).
   */
  orientation: AxisCodes | null;
  /** The ED image's voxel `(i, j, k)` → world affine (4×4, sform, else qform, else from pixdim; as `readNifti`). */
  affine: number[][];
  /** The ED and ES frames with their ground truth. */
  frames: Record<CardiacPhase, AcdcFrame>;
  /** The cine file's path, or null when the patient has none. */
  cineFile: string | null;
  /** Reads the whole cine, `[T, D, H, W]`; rejects when {@link AcdcPatient.cineFile} is null. */
  cine(): Promise<NiftiImage>;
}

/** The files of one patient folder, wherever they are (disk, memory, network). */
export interface AcdcFolder {
  /** The folder's path or label, used in messages. */
  name: string;
  /** The names of the files in the folder. */
  list(): Promise<string[]>;
  /** A file's bytes; at least the first `maxBytes` when given (more is allowed). */
  read(file: string, maxBytes?: number): Promise<Uint8Array>;
}

/** A patient or file left out by `onError: 'skip'`, and why. */
export interface SkippedItem {
  /** Patient folder name. */
  patient: string;
  /** The file (or folder) at fault. */
  file: string;
  /** The error message. */
  reason: string;
}

/** How labels are turned into a mask: all ACDC labels, myocardium ∪ LV cavity → 1, or myocardium → 1. */
export type LabelMode = 'all' | 'localization' | 'myocardium';

/** One 2D short-axis sample: a slice of a frame with its mask. */
export interface SliceSample {
  /** Intensities, `[H, W]` float32, as stored (after `scl_slope`). */
  image: NdArray<Float32Array>;
  /** The mask for {@link SliceSample.labels}, `[H, W]` uint8 (0–3 for `all`, 0/1 otherwise). */
  mask: NdArray<Uint8Array>;
  /** The original ACDC labels, `[H, W]` uint8, 0–3 (the same object as `mask` for `all`). */
  labelMap: NdArray<Uint8Array>;
  /** How `mask` was derived from `labelMap`. */
  labels: LabelMode;
  /** Patient folder name. */
  patientId: string;
  /** Diagnostic group. */
  group: AcdcGroup;
  /** Cardiac phase. */
  phase: CardiacPhase;
  /** Slice index `k` in the volume (0-based). */
  slice: number;
  /** Number of slices in the volume. */
  sliceCount: number;
  /** Pixel spacing `[dy, dx]` in mm. */
  spacing: [number, number];
}
