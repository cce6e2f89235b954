/** True for a NIfTI file name: `.nii` or `.nii.gz` (any case). */
export function isNiftiName(name: string): boolean {
  return /\.nii(\.gz)?$/i.test(name);
}

/** The folder part of a path, with its final `/` (`''` for a bare name). */
export function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** The name without its folder and its `.nii`/`.nii.gz` extension. */
export function niftiStem(name: string): string {
  return (name.split('/').pop() ?? name).replace(/\.nii(\.gz)?$/i, '');
}

/**
 * True when a NIfTI file name says it holds labels or a mask rather than an image: its stem ends in `_gt`
 * (ACDC's ground truth) or `_myo` (what `myoseg segment` and this page write), or has `label`, `mask` or `seg`
 * as a word part (`_mask`, `-labels`, `seg_`…).
 */
export function isLabelName(name: string): boolean {
  const stem = niftiStem(name).toLowerCase();
  return /_(gt|myo)$/.test(stem) || /(^|[^a-z])(labels?|masks?|seg)([^a-z]|$)/.test(stem);
}

/** The patient id in a file name: `patientNNN` when it holds one, else its {@link niftiStem}. */
export function patientIdOf(name: string): string {
  const match = /patient\d+/i.exec(name);
  return match ? match[0] : niftiStem(name);
}

/** The ACDC frame number (1-based) in a file name such as `patient001_frame12_gt.nii.gz`; `null` when none. */
export function acdcFrameOf(name: string): number | null {
  const match = /_frame(\d+)/i.exec(name);
  return match ? Number(match[1]) : null;
}

/**
 * The frame index (from 0) a file name gives: `_tNN` (a frame of a 4D cine, as `myoseg segment` names its
 * outputs) as is, or ACDC's `_frameNN` minus 1; `null` when it gives none.
 */
export function frameIndexOf(name: string): number | null {
  const cine = /_t(\d+)_myo\.nii(\.gz)?$/i.exec(name);
  if (cine) return Number(cine[1]);
  const acdc = acdcFrameOf(name);
  return acdc === null ? null : acdc - 1;
}
