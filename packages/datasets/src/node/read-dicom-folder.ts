import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type DicomFile, isDicomFile } from '../dicom/instance';
import { type DicomVolume, type ReadDicomSeriesOptions, readDicomSeries } from '../dicom/series';
import { DicomFormatError } from '../errors';

/**
 * The DICOM files under a folder (walked recursively; scanners often write files without an extension, so each
 * file is recognised by its `DICM` preamble, not its name). Other files are left out.
 *
 * @throws `DicomFormatError` naming the folder when it holds no DICOM file.
 */
export async function dicomFilesIn(folder: string): Promise<DicomFile[]> {
  const out: DicomFile[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const name of (await readdir(dir)).sort()) {
      const path = join(dir, name);
      const info = await stat(path);
      if (info.isDirectory()) await walk(path);
      else if (info.size > 132) {
        const bytes = new Uint8Array(await readFile(path));
        if (isDicomFile(bytes)) out.push({ name: path, bytes });
      }
    }
  };
  await walk(folder);
  if (out.length === 0)
    throw new DicomFormatError(folder, 'holds no DICOM file (none starts with the DICM preamble)');
  return out;
}

/** Whether a file starts with the DICOM preamble (reads its first 132 bytes only). */
export async function startsLikeDicom(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const head = new Uint8Array(132);
    const { bytesRead } = await handle.read(head, 0, 132, 0);
    return bytesRead === 132 && isDicomFile(head);
  } finally {
    await handle.close();
  }
}

/**
 * Whether a folder holds a DICOM file anywhere below it: stops at the first one, reading 132 bytes per file, so that
 * telling a DICOM study from a NIfTI folder costs nothing like reading the study.
 */
export async function holdsDicom(folder: string): Promise<boolean> {
  for (const name of (await readdir(folder)).sort()) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => null);
    if (
      info?.isDirectory() ? await holdsDicom(path) : info && info.size > 132 && (await startsLikeDicom(path))
    )
      return true;
  }
  return false;
}

/**
 * Reads the DICOM series of a folder (see `readDicomSeries`): a short-axis cine study as it comes off the scanner.
 *
 * @example
 * ```ts
 * const study = await readDicomFolder('/data/study-01');
 * const masks = await pipeline.segmentCine(study.volume, { spacing: study.spacing, affine: study.affine });
 * ```
 */
export async function readDicomFolder(
  folder: string,
  options: ReadDicomSeriesOptions = {},
): Promise<DicomVolume> {
  return readDicomSeries(await dicomFilesIn(folder), options);
}
