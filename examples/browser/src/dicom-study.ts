import { type DicomFile, isDicomFile, readDicomSeries, readNifti, writeNifti } from '@myoseg/datasets';
import ndarray from 'ndarray';
import { folderOf } from './file-names';

/** A DICOM series the page read from dropped files, as the NIfTI image it shows and segments. */
export interface DicomStudyImage {
  /** `<folder>/` of the files, named as the image (`<folder> (DICOM)`). */
  path: string;
  /** The series as a NIfTI image `[T, D, H, W]` with its RAS affine (what `myoseg segment` reads it as). */
  bytes: Uint8Array;
}

/** Whether a dropped file is DICOM Part 10 (`DICM` after the 128-byte preamble), read from its first 132 bytes. */
async function isDicom(file: File): Promise<boolean> {
  return file.size >= 132 && isDicomFile(new Uint8Array(await file.slice(0, 132).arrayBuffer()));
}

/**
 * The DICOM studies among dropped files: the DICOM files of each folder (any names, `.dcm` or none) read as one
 * series (`readDicomSeries`, `auto`: the short-axis stack), each as a NIfTI image the page can show.
 *
 * @param files - the files that are not NIfTI, `Info.cfg`, verdicts or a model (`SortedFiles.ignored`).
 * @returns the studies, the paths that are not DICOM, and one message per folder that could not be read (naming
 *   the file and the reason, as `DicomFormatError` gives it).
 */
export async function dicomStudiesOf(
  files: readonly { path: string; file: File }[],
): Promise<{ studies: DicomStudyImage[]; other: string[]; problems: string[] }> {
  const byFolder = new Map<string, DicomFile[]>();
  const other: string[] = [];
  for (const { path, file } of files) {
    if (!(await isDicom(file))) {
      other.push(path);
      continue;
    }
    const folder = folderOf(path);
    const list = byFolder.get(folder) ?? [];
    list.push({ name: path, bytes: new Uint8Array(await file.arrayBuffer()) });
    byFolder.set(folder, list);
  }
  const studies: DicomStudyImage[] = [];
  const problems: string[] = [];
  for (const [folder, dicom] of byFolder) {
    try {
      const series = readDicomSeries(dicom);
      const [t, d, h, w] = series.volume.shape;
      const volume = t === 1 ? ndarray(series.volume.data, [d, h, w]) : series.volume;
      const bytes = writeNifti(volume, {
        affine: series.affine,
        spacing: t === 1 ? series.spacing : [1, ...series.spacing],
      });
      studies.push({ path: `${folder.replace(/\/$/, '') || 'DICOM'} (DICOM)`, bytes });
    } catch (e) {
      problems.push((e as Error).message);
    }
  }
  return { studies, other, problems };
}

/** A {@link DicomStudyImage} read back as the NIfTI image the page works on. */
export const dicomStudyNifti = (study: DicomStudyImage) => readNifti(study.bytes, { name: study.path });
