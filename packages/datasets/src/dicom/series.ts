import ndarray, { type NdArray } from 'ndarray';
import { DicomFormatError } from '../errors';
import {
  type DicomFile,
  type DicomInstance,
  type DicomStudyAttributes,
  parseDicomInstance,
} from './instance';

/** One volume a DICOM study can give: a series, or short-axis cine series of one slice each taken together. */
export interface DicomSeriesCandidate {
  /** SeriesInstanceUID(s): one, or one per slice position when a scanner wrote a series per slice. */
  seriesInstanceUids: string[];
  /** SeriesDescription of the first. */
  description: string;
  /** SeriesNumber of the first. */
  seriesNumber: number | null;
  /** Distinct slice positions. */
  positions: number;
  /** Images per position (cine phases). */
  phases: number;
  /** Image size `[rows, columns]`. */
  size: [number, number];
}

/** A DICOM series as a volume: `[T, D, H, W]` intensities and the RAS affine of each frame. */
export interface DicomVolume extends DicomSeriesCandidate {
  /** Intensities with RescaleSlope/Intercept applied, `[T, D, H, W]`; slices ordered along the plane normal. */
  volume: NdArray<Float32Array>;
  /** Voxel `(i, j, k)` (column, row, slice) → RAS+ world mm, as dcm2niix and nibabel give it (4×4). */
  affine: number[][];
  /** `[dz, dy, dx]` mm: slice step along the normal, then PixelSpacing. */
  spacing: [number, number, number];
  /** Cardiac trigger time per phase in ms (null where the files give none). */
  triggerTimes: (number | null)[];
  /** `[t][z]`: the SOP instance each image came from (DICOM SEG references them). */
  sopInstanceUids: string[][];
  /** `[t][z]`: the file each image came from. */
  files: string[][];
  /** StudyInstanceUID. */
  studyInstanceUid: string;
  /** FrameOfReferenceUID. */
  frameOfReferenceUid: string;
  /** SOPClassUID of the images (e.g. MR Image Storage). */
  sopClassUid: string;
  /** `[z]`: the SeriesInstanceUID of each slice position (the same for all in a one-series stack). */
  sliceSeriesUids: string[];
  /** `[z]`: ImagePositionPatient of each slice, LPS mm, as stored. */
  imagePositions: [number, number, number][];
  /** ImageOrientationPatient: row direction, then column direction (LPS unit vectors), as stored. */
  imageOrientation: [number, number, number, number, number, number];
  /** PixelSpacing: between rows, between columns (mm), as stored. */
  pixelSpacing: [number, number];
  /** SliceThickness (else SpacingBetweenSlices) in mm, when the files give it. */
  sliceThickness: number | null;
  /** The patient and study attributes of the first image. */
  study: DicomStudyAttributes;
}

/** Options of {@link readDicomSeries}. */
export interface ReadDicomSeriesOptions {
  /**
   * Which series: a SeriesInstanceUID, or `'auto'` (default): the short-axis cine stack, i.e. among the candidates
   * with several slice positions, a cine (several phases) before a single phase, an oblique plane before one within
   * 20° of the axial, coronal or sagittal plane (scouts), then the most positions; refusing a study whose series
   * all have one position (2CH/4CH views) when it has several.
   */
  series?: string;
}

const key = (xs: readonly number[], digits = 3) => xs.map((x) => x.toFixed(digits)).join(',');
const cross = (a: readonly number[], b: readonly number[]) => [
  a[1] * b[2] - a[2] * b[1],
  a[2] * b[0] - a[0] * b[2],
  a[0] * b[1] - a[1] * b[0],
];
const dot = (a: readonly number[], b: readonly number[]) => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const normalOf = (i: DicomInstance) => cross(i.orientation.slice(0, 3), i.orientation.slice(3, 6));

/** Instances grouped by slice position along their plane normal (positions within 0.01 mm are one). */
function byPosition(instances: readonly DicomInstance[]): DicomInstance[][] {
  const n = normalOf(instances[0]);
  const sorted = [...instances].sort((a, b) => dot(a.position, n) - dot(b.position, n));
  const groups: DicomInstance[][] = [];
  for (const inst of sorted) {
    const last = groups.at(-1);
    if (last && Math.abs(dot(last[0].position, n) - dot(inst.position, n)) < 0.01) last.push(inst);
    else groups.push([inst]);
  }
  return groups;
}

/** Series whose images all sit at one position, and that share everything else, are one stack split by slice. */
function candidates(instances: readonly DicomInstance[]): DicomInstance[][] {
  const series = new Map<string, DicomInstance[]>();
  for (const i of instances) series.set(i.seriesInstanceUid, [...(series.get(i.seriesInstanceUid) ?? []), i]);
  const out: DicomInstance[][] = [];
  const merged = new Map<string, DicomInstance[]>();
  for (const group of series.values()) {
    const first = group[0];
    if (byPosition(group).length > 1) {
      out.push(group);
      continue;
    }
    const k = [
      first.studyInstanceUid,
      first.frameOfReferenceUid,
      key(first.orientation),
      first.rows,
      first.columns,
      key(first.pixelSpacing),
      group.length,
    ].join('|');
    merged.set(k, [...(merged.get(k) ?? []), ...group]);
  }
  return [...out, ...merged.values()];
}

function summary(group: readonly DicomInstance[]): DicomSeriesCandidate {
  const positions = byPosition(group).length;
  return {
    seriesInstanceUids: [...new Set(group.map((i) => i.seriesInstanceUid))],
    description: group[0].seriesDescription,
    seriesNumber: group[0].seriesNumber,
    positions,
    phases: Math.round(group.length / positions),
    size: [group[0].rows, group[0].columns],
  };
}

/** The images of a study, parsed; files that hold no image (a DICOMDIR, a report) are left out. */
function imagesOf(files: readonly DicomFile[]): DicomInstance[] {
  if (files.length === 0) throw new DicomFormatError('DICOM input', 'no files given');
  const images = files.map(parseDicomInstance).filter((i): i is DicomInstance => i !== null);
  if (images.length === 0)
    throw new DicomFormatError(files[0].name, `no image with pixel data among ${files.length} file(s)`);
  return images;
}

/** The volumes a DICOM study's files can give, largest stack first (what `--series` chooses among). */
export function listDicomSeries(files: readonly DicomFile[]): DicomSeriesCandidate[] {
  return candidates(imagesOf(files))
    .map(summary)
    .sort((a, b) => b.positions - a.positions);
}

const describe = (c: DicomSeriesCandidate) =>
  `${c.seriesInstanceUids.length > 1 ? `${c.seriesInstanceUids.length} series from ${c.seriesInstanceUids[0]}` : c.seriesInstanceUids[0]} "${c.description}" (${c.positions} positions × ${c.phases} phases)`;

/** Whether a plane's normal is within 20° of a patient axis (axial, coronal, sagittal: scouts, not short axis). */
function axisAligned(i: DicomInstance): boolean {
  return normalOf(i).some((v) => Math.abs(v) > Math.cos((20 * Math.PI) / 180));
}

/**
 * How likely a group is the short-axis cine stack: several phases (a cine), then an oblique plane (the short axis
 * is double-oblique; scouts are axis-aligned), then more slice positions.
 */
const shortAxisRank = (g: readonly DicomInstance[]) => {
  const s = summary(g);
  return [s.phases > 1 ? 1 : 0, axisAligned(g[0]) ? 0 : 1, s.positions];
};

function choose(groups: DicomInstance[][], series: string): DicomInstance[] {
  const listed = () => groups.map((g) => describe(summary(g))).join('; ');
  if (series !== 'auto') {
    const found = groups.find((g) => g.some((i) => i.seriesInstanceUid === series));
    if (!found) throw new DicomFormatError(`series ${series}`, `not in these files; they hold: ${listed()}`);
    return found;
  }
  const stacks = groups.filter((g) => byPosition(g).length > 1);
  if (stacks.length === 0 && groups.length > 1)
    throw new DicomFormatError(
      'series auto',
      `no short-axis stack (every series has one slice position, as 2CH/4CH views do): ${listed()}; pick one with --series UID`,
    );
  const ranked = (stacks.length > 0 ? stacks : groups).map((g) => ({ g, rank: shortAxisRank(g) }));
  ranked.sort((a, b) => b.rank[0] - a.rank[0] || b.rank[1] - a.rank[1] || b.rank[2] - a.rank[2]);
  return ranked[0].g;
}

/**
 * Reads a DICOM series (one study's files, in any order) into a `[T, D, H, W]` volume with its RAS affine, as
 * dcm2niix and nibabel build it: slices ordered by their position along the plane normal (never by file name or
 * InstanceNumber), cine phases by TriggerTime (else InstanceNumber), LPS → RAS, RescaleSlope/Intercept applied.
 * A short-axis cine written as one series per slice position is read as one stack.
 *
 * @param files - the files' names (for messages) and bytes; those without an image are ignored.
 * @throws {@link DicomFormatError} naming the file or series: no image, a compressed transfer syntax, mixed
 *   orientations or pixel spacings, differing image sizes, positions with different numbers of phases, two images
 *   at one position and trigger time, or a missing slice position (a gap over 1.5× the smallest).
 * @example
 * ```ts
 * const { volume, affine, spacing } = readDicomSeries(files.map((f) => ({ name: f.name, bytes: f.bytes })));
 * // volume [T, D, H, W]; pipeline.segmentCine(volume, { spacing, affine })
 * ```
 */
export function readDicomSeries(
  files: readonly DicomFile[],
  options: ReadDicomSeriesOptions = {},
): DicomVolume {
  const group = choose(candidates(imagesOf(files)), options.series ?? 'auto');
  const first = group[0];
  const label = `series ${first.seriesInstanceUid}`;
  for (const i of group) {
    if (key(i.orientation) !== key(first.orientation))
      throw new DicomFormatError(
        label,
        `mixed orientations: ${first.file} has ImageOrientationPatient [${first.orientation.join(', ')}], ${i.file} [${i.orientation.join(', ')}]`,
      );
    if (key(i.pixelSpacing) !== key(first.pixelSpacing))
      throw new DicomFormatError(
        label,
        `inconsistent PixelSpacing: ${first.file} has [${first.pixelSpacing.join(', ')}], ${i.file} [${i.pixelSpacing.join(', ')}]`,
      );
    if (i.rows !== first.rows || i.columns !== first.columns)
      throw new DicomFormatError(
        label,
        `image sizes differ: ${first.file} ${first.rows}×${first.columns}, ${i.file} ${i.rows}×${i.columns}`,
      );
  }
  const n = normalOf(first);
  const positions = byPosition(group).map((at) =>
    [...at].sort((a, b) =>
      a.triggerTime !== null && b.triggerTime !== null && a.triggerTime !== b.triggerTime
        ? a.triggerTime - b.triggerTime
        : (a.instanceNumber ?? 0) - (b.instanceNumber ?? 0),
    ),
  );
  const phases = positions[0].length;
  const mm = (at: readonly DicomInstance[]) => dot(at[0].position, n).toFixed(2);
  for (const at of positions)
    for (let t = 1; t < at.length; t++)
      if (at[t].triggerTime !== null && at[t].triggerTime === at[t - 1].triggerTime)
        throw new DicomFormatError(
          label,
          `duplicate slice: ${at[t - 1].file} and ${at[t].file} are at the same position (${mm(at)} mm) and trigger time`,
        );
  for (const at of positions)
    if (at.length !== phases)
      throw new DicomFormatError(
        label,
        `the slice at ${mm(at)} mm along the normal has ${at.length} image(s), the slice at ${mm(positions[0])} mm has ${phases} (missing or extra phases)`,
      );
  const depth = positions.map((at) => dot(at[0].position, n));
  const gaps = depth.slice(1).map((d, k) => d - depth[k]);
  const typical = Math.min(...gaps); // positions closer than 0.01 mm are one, so every gap is > 0
  gaps.forEach((g, k) => {
    if (g > 1.5 * typical)
      throw new DicomFormatError(
        label,
        `missing slice position between ${depth[k].toFixed(2)} and ${depth[k + 1].toFixed(2)} mm (gap ${g.toFixed(2)} mm, the smallest ${typical.toFixed(2)} mm)`,
      );
  });
  const [d, h, w] = [positions.length, first.rows, first.columns];
  const data = new Float32Array(phases * d * h * w);
  for (let t = 0; t < phases; t++)
    for (let z = 0; z < d; z++) data.set(positions[z][t].pixels(), (t * d + z) * h * w);
  const p0 = positions[0][0].position;
  const pn = positions[d - 1][0].position;
  const step =
    d > 1 ? [0, 1, 2].map((a) => (pn[a] - p0[a]) / (d - 1)) : n.map((v) => v * (first.sliceThickness ?? 1));
  const [dy, dx] = first.pixelSpacing;
  const columns = [
    first.orientation.slice(0, 3).map((v) => v * dx),
    first.orientation.slice(3, 6).map((v) => v * dy),
    step,
  ];
  const lpsToRas = [-1, -1, 1];
  const affine = [0, 1, 2].map((r) => [...columns.map((c) => lpsToRas[r] * c[r]), lpsToRas[r] * p0[r]]);
  affine.push([0, 0, 0, 1]);
  return {
    ...summary(group),
    volume: ndarray(data, [phases, d, h, w]),
    affine,
    spacing: [Math.hypot(...step), dy, dx],
    triggerTimes: positions[0].map((i) => i.triggerTime),
    sopInstanceUids: Array.from({ length: phases }, (_, t) => positions.map((at) => at[t].sopInstanceUid)),
    files: Array.from({ length: phases }, (_, t) => positions.map((at) => at[t].file)),
    studyInstanceUid: first.studyInstanceUid,
    frameOfReferenceUid: first.frameOfReferenceUid,
    sopClassUid: first.sopClassUid,
    sliceSeriesUids: positions.map((at) => at[0].seriesInstanceUid),
    imagePositions: positions.map((at) => at[0].position),
    imageOrientation: first.orientation,
    pixelSpacing: first.pixelSpacing,
    sliceThickness: first.sliceThickness,
    study: first.study,
  };
}
