import type { NiftiHeader } from './header';

/** A 4×4 affine (rows of 4) mapping voxel indices `(i, j, k, 1)` to world coordinates in mm. */
export type Affine = number[][];

/** Threshold below which `1 - (b² + c² + d²)` counts as 0 (nibabel's, for float32 quaternions). */
const QUATERNION_EPS = 3 * 1.1920929e-7;

function quaternionMatrix(w: number, x: number, y: number, z: number): number[][] {
  const n = w * w + x * x + y * y + z * z;
  if (n < 1e-12)
    return [
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ];
  const s = 2 / n;
  const [X, Y, Z] = [x * s, y * s, z * s];
  const [wX, wY, wZ, xX, xY, xZ, yY, yZ, zZ] = [
    w * X,
    w * Y,
    w * Z,
    x * X,
    x * Y,
    x * Z,
    y * Y,
    y * Z,
    z * Z,
  ];
  return [
    [1 - (yY + zZ), xY - wZ, xZ + wY],
    [xY + wZ, 1 - (xX + zZ), yZ - wX],
    [xZ - wY, yZ + wX, 1 - (xX + yY)],
  ];
}

/** The qform affine (NIfTI method 2), as nibabel computes it. */
export function qformAffine(header: NiftiHeader): Affine {
  const [b, c, d] = header.quatern;
  const w2 = 1 - (b * b + c * c + d * d);
  const a = w2 < 0 && w2 > -QUATERNION_EPS ? 0 : Math.sqrt(Math.max(w2, 0));
  const r = quaternionMatrix(a, b, c, d);
  const qfac = header.pixdim[0] === -1 ? -1 : 1;
  const zooms = [Math.abs(header.pixdim[1]), Math.abs(header.pixdim[2]), Math.abs(header.pixdim[3]) * qfac];
  return [
    [r[0][0] * zooms[0], r[0][1] * zooms[1], r[0][2] * zooms[2], header.qoffset[0]],
    [r[1][0] * zooms[0], r[1][1] * zooms[1], r[1][2] * zooms[2], header.qoffset[1]],
    [r[2][0] * zooms[0], r[2][1] * zooms[1], r[2][2] * zooms[2], header.qoffset[2]],
    [0, 0, 0, 1],
  ];
}

/**
 * The affine used when neither sform nor qform is set: voxel sizes from pixdim, x flipped, origin at the
 * volume centre (nibabel's `get_base_affine`, so that both agree).
 */
export function baseAffine(header: NiftiHeader): Affine {
  const size = [1, 2, 3].map((i) => (i <= header.dim[0] ? header.dim[i] : 1));
  const zooms = [1, 2, 3].map((i) => (i <= header.dim[0] ? Math.abs(header.pixdim[i]) : 1));
  zooms[0] = -zooms[0];
  const out: Affine = [
    [zooms[0], 0, 0, 0],
    [0, zooms[1], 0, 0],
    [0, 0, zooms[2], 0],
    [0, 0, 0, 1],
  ];
  for (let r = 0; r < 3; r++) out[r][3] = (-(size[r] - 1) / 2) * zooms[r];
  return out;
}

/** The affine of a header: sform if `sform_code > 0`, else qform if `qform_code > 0`, else {@link baseAffine}. */
export function bestAffine(header: NiftiHeader): Affine {
  if (header.sformCode > 0) return [...header.srow.map((row) => [...row]), [0, 0, 0, 1]];
  if (header.qformCode > 0) return qformAffine(header);
  return baseAffine(header);
}

/** Column norms of the 3×3 part: the voxel sizes an affine implies. */
export function affineZooms(affine: Affine): [number, number, number] {
  const norm = (c: number) => Math.hypot(affine[0][c], affine[1][c], affine[2][c]);
  return [norm(0), norm(1), norm(2)];
}

/** The quaternion form of an affine, or null when its 3×3 part is not a rotation times positive zooms. */
export function affineToQuaternion(
  affine: Affine,
): { quatern: [number, number, number]; qfac: 1 | -1; qoffset: [number, number, number] } | null {
  const zooms = affineZooms(affine);
  if (zooms.some((z) => z === 0)) return null;
  const r = [0, 1, 2].map((row) => [0, 1, 2].map((c) => affine[row][c] / zooms[c]));
  const det =
    r[0][0] * (r[1][1] * r[2][2] - r[1][2] * r[2][1]) -
    r[0][1] * (r[1][0] * r[2][2] - r[1][2] * r[2][0]) +
    r[0][2] * (r[1][0] * r[2][1] - r[1][1] * r[2][0]);
  const qfac = det < 0 ? -1 : 1;
  if (qfac < 0) for (let row = 0; row < 3; row++) r[row][2] = -r[row][2];
  for (let a = 0; a < 3; a++) {
    for (let b = a; b < 3; b++) {
      const dot = r[0][a] * r[0][b] + r[1][a] * r[1][b] + r[2][a] * r[2][b];
      if (Math.abs(dot - (a === b ? 1 : 0)) > 1e-5) return null;
    }
  }
  // Shepperd's method, picking the largest diagonal term for stability.
  const trace = r[0][0] + r[1][1] + r[2][2];
  let w: number;
  let x: number;
  let y: number;
  let z: number;
  if (trace > 0) {
    const s = 0.5 / Math.sqrt(trace + 1);
    [w, x, y, z] = [0.25 / s, (r[2][1] - r[1][2]) * s, (r[0][2] - r[2][0]) * s, (r[1][0] - r[0][1]) * s];
  } else if (r[0][0] > r[1][1] && r[0][0] > r[2][2]) {
    const s = 2 * Math.sqrt(1 + r[0][0] - r[1][1] - r[2][2]);
    [w, x, y, z] = [(r[2][1] - r[1][2]) / s, 0.25 * s, (r[0][1] + r[1][0]) / s, (r[0][2] + r[2][0]) / s];
  } else if (r[1][1] > r[2][2]) {
    const s = 2 * Math.sqrt(1 + r[1][1] - r[0][0] - r[2][2]);
    [w, x, y, z] = [(r[0][2] - r[2][0]) / s, (r[0][1] + r[1][0]) / s, 0.25 * s, (r[1][2] + r[2][1]) / s];
  } else {
    const s = 2 * Math.sqrt(1 + r[2][2] - r[0][0] - r[1][1]);
    [w, x, y, z] = [(r[1][0] - r[0][1]) / s, (r[0][2] + r[2][0]) / s, (r[1][2] + r[2][1]) / s, 0.25 * s];
  }
  const sign = w < 0 ? -1 : 1;
  return {
    quatern: [sign * x, sign * y, sign * z],
    qfac,
    qoffset: [affine[0][3], affine[1][3], affine[2][3]],
  };
}
