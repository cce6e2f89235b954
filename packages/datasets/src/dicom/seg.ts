import type { NdArray } from 'ndarray';
import { InvalidOptionError } from '../errors';
import { type DicomElement, decimalString, encodePart10 } from './encode';
import type { DicomVolume } from './series';
import { uidFrom } from './uid';

/** SOP Class UID of the Segmentation Storage IOD. */
export const SEGMENTATION_STORAGE = '1.2.840.10008.5.1.4.1.1.66.4';

/** A coded concept of DICOM's code sequences. */
export interface CodedConcept {
  /** CodeValue (0008,0100), e.g. `'74281007'`. */
  readonly value: string;
  /** CodingSchemeDesignator (0008,0102): `SCT` for SNOMED CT, `DCM` for DICOM's own. */
  readonly scheme: string;
  /** CodeMeaning (0008,0104), e.g. `'Myocardium'`. */
  readonly meaning: string;
}

/** What a SEG says of a segment: its label and its coded category and type. */
export interface SegmentDescription {
  /** SegmentLabel (0062,0005). */
  readonly label: string;
  /** SegmentedPropertyCategoryCodeSequence (0062,0003). */
  readonly category: CodedConcept;
  /** SegmentedPropertyTypeCodeSequence (0062,000F). */
  readonly type: CodedConcept;
}

/** The one segment myoseg writes: the myocardium, SNOMED CT 74281007, an anatomical structure (91723000). */
export const MYOCARDIUM_SEGMENT: SegmentDescription = {
  label: 'Myocardium',
  category: { value: '91723000', scheme: 'SCT', meaning: 'Anatomical Structure' },
  type: { value: '74281007', scheme: 'SCT', meaning: 'Myocardium' },
};

/** What {@link writeDicomSeg} needs of the source series (a {@link DicomVolume} has it all). */
export type DicomSegSource = Pick<
  DicomVolume,
  | 'seriesInstanceUids'
  | 'sopInstanceUids'
  | 'sopClassUid'
  | 'sliceSeriesUids'
  | 'imagePositions'
  | 'imageOrientation'
  | 'pixelSpacing'
  | 'sliceThickness'
  | 'spacing'
  | 'studyInstanceUid'
  | 'frameOfReferenceUid'
  | 'study'
>;

/** Options of {@link writeDicomSeg}. */
export interface WriteDicomSegOptions {
  /** The source phase of each frame of the mask (default `0, 1, …`): which images each frame references. */
  phases?: readonly number[];
  /** The algorithm, for SegmentAlgorithmName and the equipment attributes, e.g. `{ name: 'myoseg', version: '0.3.0' }`. */
  software: {
    /** Manufacturer and model name of the "device" that made the SEG. */
    name: string;
    /** SoftwareVersions. */
    version: string;
  };
  /** What made the mask, for ContentDescription (e.g. the model's name and version); at most 64 characters. */
  description?: string;
  /** SeriesNumber of the new series (default 9901). */
  seriesNumber?: number;
  /** SeriesDescription (default `'myoseg myocardium'`). */
  seriesDescription?: string;
  /** The content date and time (default now). Fixed in tests, for byte-identical output. */
  date?: Date;
}

const code = (c: CodedConcept): DicomElement[] => [
  { tag: 0x00080100, vr: 'SH', value: c.value },
  { tag: 0x00080102, vr: 'SH', value: c.scheme },
  { tag: 0x00080104, vr: 'LO', value: c.meaning },
];

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const dicomDate = (d: Date) => `${d.getUTCFullYear()}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}`;
const dicomTime = (d: Date) => `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}`;

/** The mask's frames packed 1 bit per pixel, row-major, least significant bit first, frames back to back. */
function packBits(mask: NdArray, frames: number, rows: number, columns: number): Uint8Array {
  const out = new Uint8Array(Math.ceil((frames * rows * columns) / 8));
  let bit = 0;
  for (let f = 0; f < frames; f++) {
    const t = Math.floor(f / mask.shape[1]);
    const z = f % mask.shape[1];
    for (let y = 0; y < rows; y++)
      for (let x = 0; x < columns; x++, bit++) if (mask.get(t, z, y, x)) out[bit >> 3] |= 1 << (bit & 7);
  }
  return out;
}

/**
 * Writes a binary DICOM Segmentation (SEG) of the myocardium over a source series: one segment, "Myocardium"
 * (SNOMED CT 74281007), one frame per source image (empty frames included), each referencing its source SOP
 * instance, in the source's frame of reference and pixel grid, with the patient and study attributes copied. Explicit
 * VR little endian; viewers such as OHIF and 3D Slicer open it as an overlay of the source series.
 *
 * The UIDs are derived from the source, the mask and the date, so the same input and `date` give the same bytes.
 *
 * @param source - the source series, as {@link readDicomSeries} gives it.
 * @param mask - `[T, D, H, W]` 0/1 on the source's grid: `T` phases (`options.phases` says which), `D` slices in the
 *   order of `source.imagePositions`, `H × W` = rows × columns of the source images. Any non-zero is 1.
 * @returns the file's bytes.
 * @throws {@link InvalidOptionError} when the mask's shape does not match the source or a phase is out of range.
 * @example
 * ```ts
 * const study = readDicomSeries(files); // volume [T, D, H, W]
 * const frames = await pipeline.segmentCine(study.volume, { spacing: study.spacing, affine: study.affine });
 * const [t, d, h, w] = study.volume.shape;
 * const mask = ndarray(new Uint8Array(t * d * h * w), [t, d, h, w]);
 * frames.forEach((f, k) => mask.data.set(f.mask.data, k * d * h * w));
 * const bytes = writeDicomSeg(study, mask, { software: { name: 'myoseg', version: '0.3.0' } });
 * ```
 */
export function writeDicomSeg(
  source: DicomSegSource,
  mask: NdArray,
  options: WriteDicomSegOptions,
): Uint8Array {
  const [t, d, rows, columns] = mask.shape;
  const sourceDepth = source.imagePositions.length;
  const phases = options.phases ?? Array.from({ length: t }, (_, k) => k);
  if (mask.shape.length !== 4 || d !== sourceDepth)
    throw new InvalidOptionError(
      `writeDicomSeg: mask must be [T, D, H, W] with D = ${sourceDepth} slices of the source series, got [${mask.shape.join(', ')}]`,
    );
  if (
    phases.length !== t ||
    phases.some((p) => !(Number.isInteger(p) && p >= 0 && p < source.sopInstanceUids.length))
  )
    throw new InvalidOptionError(
      `writeDicomSeg: phases must be ${t} source phase(s) in [0, ${source.sopInstanceUids.length - 1}], got [${phases.join(', ')}]`,
    );
  const firstImage = source.sopInstanceUids[0]?.[0];
  if (rows < 1 || columns < 1 || firstImage === undefined)
    throw new InvalidOptionError(
      `writeDicomSeg: expected a non-empty mask over a non-empty series, got [${mask.shape.join(', ')}]`,
    );
  const date = options.date ?? new Date();
  const frames = t * d;
  const pixels = packBits(mask, frames, rows, columns);
  // the content is hashed once; the three UIDs derive from that digest and the short identifying text
  const identity = `${source.seriesInstanceUids.join(',')}|${phases.join(',')}|${date.toISOString()}|${uidFrom(pixels)}`;
  const seriesUid = uidFrom(`series|${identity}`);
  const instanceUid = uidFrom(`instance|${identity}`);
  const dimensionUid = uidFrom(`dimensions|${identity}`);
  const cine = t > 1;
  const dimensions: [number, number, string][] = [
    [0x0062000b, 0x0062000a, 'ReferencedSegmentNumber'],
    ...(cine ? ([[0x00209128, 0x00209111, 'TemporalPositionIndex']] as [number, number, string][]) : []),
    [0x00200032, 0x00209113, 'ImagePositionPatient'],
  ];
  const perFrame = Array.from({ length: frames }, (_, f): DicomElement[] => {
    const k = Math.floor(f / d);
    const z = f % d;
    return [
      {
        tag: 0x00089124, // DerivationImageSequence
        vr: 'SQ',
        value: [
          [
            {
              tag: 0x00082112, // SourceImageSequence
              vr: 'SQ',
              value: [
                [
                  { tag: 0x00081150, vr: 'UI', value: source.sopClassUid },
                  { tag: 0x00081155, vr: 'UI', value: source.sopInstanceUids[phases[k]][z] },
                  {
                    tag: 0x0040a170, // PurposeOfReferenceCodeSequence
                    vr: 'SQ',
                    value: [
                      code({
                        value: '121322',
                        scheme: 'DCM',
                        meaning: 'Source image for image processing operation',
                      }),
                    ],
                  },
                ],
              ],
            },
            {
              tag: 0x00089215, // DerivationCodeSequence
              vr: 'SQ',
              value: [code({ value: '113076', scheme: 'DCM', meaning: 'Segmentation' })],
            },
          ],
        ],
      },
      {
        tag: 0x00209111, // FrameContentSequence
        vr: 'SQ',
        value: [
          [
            { tag: 0x00209157, vr: 'UL', value: cine ? [1, k + 1, z + 1] : [1, z + 1] },
            ...(cine ? [{ tag: 0x00209128, vr: 'UL', value: k + 1 } as DicomElement] : []),
          ],
        ],
      },
      {
        tag: 0x00209113, // PlanePositionSequence
        vr: 'SQ',
        value: [[{ tag: 0x00200032, vr: 'DS', value: source.imagePositions[z].map(decimalString) }]],
      },
      {
        tag: 0x0062000a, // SegmentIdentificationSequence
        vr: 'SQ',
        value: [[{ tag: 0x0062000b, vr: 'US', value: 1 }]],
      },
    ];
  });
  const referencedSeries = [...new Set(source.sliceSeriesUids)].map((series): DicomElement[] => [
    { tag: 0x0020000e, vr: 'UI', value: series },
    {
      tag: 0x0008114a, // ReferencedInstanceSequence
      vr: 'SQ',
      value: phases.flatMap((p) =>
        source.sliceSeriesUids.flatMap((s, z) =>
          s === series
            ? [
                [
                  { tag: 0x00081150, vr: 'UI', value: source.sopClassUid } as DicomElement,
                  { tag: 0x00081155, vr: 'UI', value: source.sopInstanceUids[p][z] } as DicomElement,
                ],
              ]
            : [],
        ),
      ),
    },
  ]);
  const s = source.study;
  const software = `${options.software.name} ${options.software.version}`;
  const dataset: DicomElement[] = [
    ...(s.specificCharacterSet
      ? [{ tag: 0x00080005, vr: 'CS', value: s.specificCharacterSet } as DicomElement]
      : []),
    { tag: 0x00080008, vr: 'CS', value: ['DERIVED', 'PRIMARY'] },
    { tag: 0x00080016, vr: 'UI', value: SEGMENTATION_STORAGE },
    { tag: 0x00080018, vr: 'UI', value: instanceUid },
    { tag: 0x00080020, vr: 'DA', value: s.studyDate },
    { tag: 0x00080021, vr: 'DA', value: dicomDate(date) },
    { tag: 0x00080023, vr: 'DA', value: dicomDate(date) },
    { tag: 0x00080030, vr: 'TM', value: s.studyTime },
    { tag: 0x00080031, vr: 'TM', value: dicomTime(date) },
    { tag: 0x00080033, vr: 'TM', value: dicomTime(date) },
    { tag: 0x00080050, vr: 'SH', value: s.accessionNumber },
    { tag: 0x00080060, vr: 'CS', value: 'SEG' },
    { tag: 0x00080070, vr: 'LO', value: options.software.name },
    { tag: 0x00080090, vr: 'PN', value: s.referringPhysicianName },
    { tag: 0x00081030, vr: 'LO', value: s.studyDescription },
    { tag: 0x0008103e, vr: 'LO', value: options.seriesDescription ?? 'myoseg myocardium' },
    { tag: 0x00081090, vr: 'LO', value: options.software.name },
    { tag: 0x00100010, vr: 'PN', value: s.patientName },
    { tag: 0x00100020, vr: 'LO', value: s.patientId },
    { tag: 0x00100030, vr: 'DA', value: s.patientBirthDate },
    { tag: 0x00100040, vr: 'CS', value: s.patientSex },
    { tag: 0x00181000, vr: 'LO', value: options.software.version },
    { tag: 0x00181020, vr: 'LO', value: software },
    { tag: 0x0020000d, vr: 'UI', value: source.studyInstanceUid },
    { tag: 0x0020000e, vr: 'UI', value: seriesUid },
    { tag: 0x00200010, vr: 'SH', value: s.studyId },
    { tag: 0x00200011, vr: 'IS', value: String(options.seriesNumber ?? 9901) },
    { tag: 0x00200013, vr: 'IS', value: '1' },
    { tag: 0x00200052, vr: 'UI', value: source.frameOfReferenceUid },
    { tag: 0x00201040, vr: 'LO', value: '' },
    {
      tag: 0x00209221, // DimensionOrganizationSequence
      vr: 'SQ',
      value: [[{ tag: 0x00209164, vr: 'UI', value: dimensionUid }]],
    },
    {
      tag: 0x00209222, // DimensionIndexSequence
      vr: 'SQ',
      value: dimensions.map(([pointer, group, label]) => [
        { tag: 0x00209164, vr: 'UI', value: dimensionUid },
        { tag: 0x00209165, vr: 'AT', value: pointer },
        { tag: 0x00209167, vr: 'AT', value: group },
        { tag: 0x00209421, vr: 'LO', value: label },
      ]),
    },
    { tag: 0x00280002, vr: 'US', value: 1 },
    { tag: 0x00280004, vr: 'CS', value: 'MONOCHROME2' },
    { tag: 0x00280008, vr: 'IS', value: String(frames) },
    { tag: 0x00280010, vr: 'US', value: rows },
    { tag: 0x00280011, vr: 'US', value: columns },
    { tag: 0x00280100, vr: 'US', value: 1 },
    { tag: 0x00280101, vr: 'US', value: 1 },
    { tag: 0x00280102, vr: 'US', value: 0 },
    { tag: 0x00280103, vr: 'US', value: 0 },
    { tag: 0x00282110, vr: 'CS', value: '00' },
    { tag: 0x00280301, vr: 'CS', value: 'NO' },
    {
      tag: 0x00081115, // ReferencedSeriesSequence (Common Instance Reference)
      vr: 'SQ',
      value: referencedSeries,
    },
    {
      tag: 0x52009229, // SharedFunctionalGroupsSequence
      vr: 'SQ',
      value: [
        [
          {
            tag: 0x00289110, // PixelMeasuresSequence
            vr: 'SQ',
            value: [
              [
                { tag: 0x00280030, vr: 'DS', value: source.pixelSpacing.map(decimalString) },
                {
                  tag: 0x00180050,
                  vr: 'DS',
                  value: decimalString(source.sliceThickness ?? source.spacing[0]),
                },
                { tag: 0x00180088, vr: 'DS', value: decimalString(source.spacing[0]) },
              ],
            ],
          },
          {
            tag: 0x00209116, // PlaneOrientationSequence
            vr: 'SQ',
            value: [[{ tag: 0x00200037, vr: 'DS', value: source.imageOrientation.map(decimalString) }]],
          },
        ],
      ],
    },
    { tag: 0x52009230, vr: 'SQ', value: perFrame }, // PerFrameFunctionalGroupsSequence
    { tag: 0x00620001, vr: 'CS', value: 'BINARY' },
    {
      tag: 0x00620002, // SegmentSequence
      vr: 'SQ',
      value: [
        [
          {
            tag: 0x00620003, // SegmentedPropertyCategoryCodeSequence
            vr: 'SQ',
            value: [code(MYOCARDIUM_SEGMENT.category)],
          },
          { tag: 0x00620004, vr: 'US', value: 1 },
          { tag: 0x00620005, vr: 'LO', value: MYOCARDIUM_SEGMENT.label },
          { tag: 0x00620008, vr: 'CS', value: 'AUTOMATIC' },
          { tag: 0x00620009, vr: 'LO', value: software },
          {
            tag: 0x0062000f, // SegmentedPropertyTypeCodeSequence
            vr: 'SQ',
            value: [code(MYOCARDIUM_SEGMENT.type)],
          },
        ],
      ],
    },
    { tag: 0x00700080, vr: 'CS', value: 'MYOCARDIUM' },
    { tag: 0x00700081, vr: 'LO', value: (options.description ?? software).slice(0, 64) },
    { tag: 0x00700084, vr: 'PN', value: '' },
    { tag: 0x7fe00010, vr: 'OB', value: pixels },
  ];
  return encodePart10(SEGMENTATION_STORAGE, instanceUid, dataset, {
    classUid: uidFrom('myoseg implementation'),
    versionName: `MYOSEG_${options.software.version}`.slice(0, 16),
  });
}
