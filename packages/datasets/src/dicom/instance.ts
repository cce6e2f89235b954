import dicomParser, { type DataSet } from 'dicom-parser';
import { DicomFormatError } from '../errors';

/** A DICOM file given to the reader: its name (for messages) and its bytes. */
export interface DicomFile {
  /** File name or path, used in messages. */
  name: string;
  /** The whole file. */
  bytes: Uint8Array;
}

/**
 * The patient and study attributes of a DICOM study, as stored (strings, empty where absent), which derived
 * objects such as a DICOM SEG copy.
 */
export interface DicomStudyAttributes {
  /** SpecificCharacterSet (0008,0005): how the other strings' bytes are to be read; empty for ASCII. */
  specificCharacterSet: string;
  /** PatientName (0010,0010). */
  patientName: string;
  /** PatientID (0010,0020). */
  patientId: string;
  /** PatientBirthDate (0010,0030), `YYYYMMDD`. */
  patientBirthDate: string;
  /** PatientSex (0010,0040). */
  patientSex: string;
  /** StudyDate (0008,0020), `YYYYMMDD`. */
  studyDate: string;
  /** StudyTime (0008,0030). */
  studyTime: string;
  /** StudyID (0020,0010). */
  studyId: string;
  /** AccessionNumber (0008,0050). */
  accessionNumber: string;
  /** ReferringPhysicianName (0008,0090). */
  referringPhysicianName: string;
  /** StudyDescription (0008,1030). */
  studyDescription: string;
}

/** What the series assembly needs of one image instance. */
export interface DicomInstance {
  /** The file it came from. */
  file: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  seriesNumber: number | null;
  seriesDescription: string;
  frameOfReferenceUid: string;
  instanceNumber: number | null;
  /** Cardiac trigger time in ms, when present. */
  triggerTime: number | null;
  /** ImageOrientationPatient: row direction, then column direction (LPS unit vectors). */
  orientation: [number, number, number, number, number, number];
  /** ImagePositionPatient, mm (LPS). */
  position: [number, number, number];
  /** PixelSpacing: between rows, between columns (mm). */
  pixelSpacing: [number, number];
  /** SliceThickness or SpacingBetweenSlices (mm), when present. */
  sliceThickness: number | null;
  rows: number;
  columns: number;
  /** The patient and study attributes, for derived objects. */
  study: DicomStudyAttributes;
  /** The pixels with RescaleSlope/Intercept applied, row-major `[rows, columns]`. */
  pixels: () => Float32Array;
}

/** The transfer syntaxes whose pixel data is read as stored (no codec). */
const NATIVE: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2': 'Implicit VR Little Endian',
  '1.2.840.10008.1.2.1': 'Explicit VR Little Endian',
  '1.2.840.10008.1.2.2': 'Explicit VR Big Endian',
};

/** Names of the compressed syntaxes a scanner is likely to write, for messages. */
const COMPRESSED: Readonly<Record<string, string>> = {
  '1.2.840.10008.1.2.1.99': 'Deflated Explicit VR Little Endian',
  '1.2.840.10008.1.2.4.50': 'JPEG Baseline',
  '1.2.840.10008.1.2.4.51': 'JPEG Extended',
  '1.2.840.10008.1.2.4.57': 'JPEG Lossless',
  '1.2.840.10008.1.2.4.70': 'JPEG Lossless SV1',
  '1.2.840.10008.1.2.4.80': 'JPEG-LS Lossless',
  '1.2.840.10008.1.2.4.81': 'JPEG-LS Near-lossless',
  '1.2.840.10008.1.2.4.90': 'JPEG 2000 Lossless',
  '1.2.840.10008.1.2.4.91': 'JPEG 2000',
  '1.2.840.10008.1.2.5': 'RLE Lossless',
};

const numbers = (ds: DataSet, tag: string): number[] => {
  const n = ds.numStringValues(tag) ?? 0;
  return Array.from({ length: n }, (_, i) => ds.floatString(tag, i) ?? Number.NaN);
};

/** Whether the bytes start like a DICOM Part 10 file (`DICM` after the 128-byte preamble). */
export function isDicomFile(bytes: Uint8Array): boolean {
  return bytes.length >= 132 && String.fromCharCode(...bytes.subarray(128, 132)) === 'DICM';
}

/**
 * Parses one DICOM Part 10 file into what {@link DicomInstance} holds; pixels are decoded on demand.
 *
 * @returns null for a DICOM file that holds no image (a DICOMDIR, a report), so that a folder can hold them.
 * @throws {@link DicomFormatError} naming the file: not DICOM, a compressed transfer syntax (named), a colour or
 *   multi-frame image, or an image without the geometry (orientation, position, spacing) a volume needs.
 */
export function parseDicomInstance(file: DicomFile): DicomInstance | null {
  let ds: DataSet;
  try {
    ds = dicomParser.parseDicom(file.bytes);
  } catch (e) {
    throw new DicomFormatError(file.name, `not a readable DICOM file (${String((e as Error).message ?? e)})`);
  }
  const pixelData = ds.elements.x7fe00010;
  const rows = ds.uint16('x00280010');
  const columns = ds.uint16('x00280011');
  if (!pixelData || !rows || !columns) return null;
  const syntax = ds.string('x00020010') ?? '';
  if (!NATIVE[syntax]) {
    const name = COMPRESSED[syntax] ? ` (${COMPRESSED[syntax]})` : '';
    throw new DicomFormatError(
      file.name,
      `transfer syntax ${syntax}${name} is not supported: only uncompressed (implicit/explicit VR little endian, explicit big endian); decompress first, e.g. gdcmconv --raw or dcmdjpeg`,
    );
  }
  const samples = ds.uint16('x00280002') ?? 1;
  if (samples !== 1)
    throw new DicomFormatError(file.name, `${samples} samples per pixel (colour); expected 1`);
  const frames = Number(ds.string('x00280008') ?? '1');
  if (frames > 1)
    throw new DicomFormatError(
      file.name,
      `${frames} frames in one file (enhanced multi-frame) are not supported yet`,
    );
  const bits = ds.uint16('x00280100') ?? 16;
  if (bits !== 8 && bits !== 16)
    throw new DicomFormatError(file.name, `BitsAllocated ${bits}; expected 8 or 16`);
  const orientation = numbers(ds, 'x00200037');
  const position = numbers(ds, 'x00200032');
  const spacing = numbers(ds, 'x00280030');
  const need = (ok: boolean, field: string, expected: string) => {
    if (!ok) throw new DicomFormatError(file.name, `${field}: expected ${expected}`);
  };
  need(
    orientation.length === 6 && orientation.every(Number.isFinite),
    'ImageOrientationPatient (0020,0037)',
    '6 numbers',
  );
  need(
    position.length === 3 && position.every(Number.isFinite),
    'ImagePositionPatient (0020,0032)',
    '3 numbers',
  );
  need(spacing.length === 2 && spacing.every((s) => s > 0), 'PixelSpacing (0028,0030)', '2 positive numbers');
  const expected = rows * columns * (bits / 8);
  need(pixelData.length >= expected, 'PixelData (7FE0,0010)', `${expected} bytes, got ${pixelData.length}`);
  const signed = ds.uint16('x00280103') === 1;
  const slope = ds.floatString('x00281053') ?? 1;
  const intercept = ds.floatString('x00281052') ?? 0;
  const bigEndian = syntax === '1.2.840.10008.1.2.2';
  const thickness = ds.floatString('x00180088') ?? ds.floatString('x00180050') ?? null;
  const int = (tag: string) => {
    const v = ds.intString(tag);
    return v === undefined || Number.isNaN(v) ? null : v;
  };
  const trigger = ds.floatString('x00181060');
  const text = (tag: string) => ds.string(tag) ?? '';
  return {
    file: file.name,
    sopClassUid: text('x00080016'),
    sopInstanceUid: ds.string('x00080018') ?? '',
    studyInstanceUid: ds.string('x0020000d') ?? '',
    seriesInstanceUid: ds.string('x0020000e') ?? '',
    seriesNumber: int('x00200011'),
    seriesDescription: ds.string('x0008103e') ?? '',
    frameOfReferenceUid: ds.string('x00200052') ?? '',
    instanceNumber: int('x00200013'),
    triggerTime: trigger === undefined || Number.isNaN(trigger) ? null : trigger,
    orientation: orientation as DicomInstance['orientation'],
    position: position as DicomInstance['position'],
    pixelSpacing: spacing as [number, number],
    sliceThickness: thickness !== null && thickness > 0 ? thickness : null,
    rows,
    columns,
    study: {
      specificCharacterSet: text('x00080005'),
      patientName: text('x00100010'),
      patientId: text('x00100020'),
      patientBirthDate: text('x00100030'),
      patientSex: text('x00100040'),
      studyDate: text('x00080020'),
      studyTime: text('x00080030'),
      studyId: text('x00200010'),
      accessionNumber: text('x00080050'),
      referringPhysicianName: text('x00080090'),
      studyDescription: text('x00081030'),
    },
    pixels: () => {
      const n = rows * columns;
      const view = new DataView(file.bytes.buffer, file.bytes.byteOffset + pixelData.dataOffset, expected);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) {
        const raw =
          bits === 8
            ? signed
              ? view.getInt8(i)
              : view.getUint8(i)
            : signed
              ? view.getInt16(2 * i, !bigEndian)
              : view.getUint16(2 * i, !bigEndian);
        out[i] = raw * slope + intercept;
      }
      return out;
    },
  };
}
