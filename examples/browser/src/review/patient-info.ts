import type { AcdcGroup, AcdcInfo } from '@myoseg/datasets';
import { acdcFrameOf, patientIdOf } from '../file-names';

/** What the review tool shows about the patient of the current slice. */
export interface PatientInfo {
  /** The patient's id: `patientNNN` from the file name, else the file name without `.nii`/`.nii.gz`. */
  patient: string;
  /** Where the rows come from. */
  source: 'Info.cfg' | 'file name';
  /** `[label, value]` pairs to show, in order. */
  rows: [string, string][];
}

/** ACDC's diagnostic groups in words. */
export const GROUP_NAMES: Readonly<Record<AcdcGroup, string>> = {
  NOR: 'normal',
  MINF: 'previous myocardial infarction',
  DCM: 'dilated cardiomyopathy',
  HCM: 'hypertrophic cardiomyopathy',
  RV: 'abnormal right ventricle',
};

/**
 * The patient panel of the review tool: the id, and with an ACDC `Info.cfg` the diagnosis, height, weight, the
 * ED and ES frames, and which of them the current frame is (from a `_frameNN` file name, or a 4D file's frame
 * index + 1).
 *
 * @param frameIndex - the current frame of the image, from 0.
 * @param frames - the image's frame count (1 for 3D files).
 */
export function patientInfo(
  imageName: string,
  info: AcdcInfo | null,
  frameIndex: number,
  frames: number,
): PatientInfo {
  const patient = patientIdOf(imageName);
  if (!info) return { patient, source: 'file name', rows: [['Patient', patient]] };
  const acdcFrame = frames > 1 ? frameIndex + 1 : acdcFrameOf(imageName);
  const phase = acdcFrame === info.ed ? 'ED' : acdcFrame === info.es ? 'ES' : null;
  const rows: [string, string][] = [
    ['Patient', patient],
    ['Group', `${info.group} (${GROUP_NAMES[info.group]})`],
    ['Height', `${info.height} cm`],
    ['Weight', `${info.weight} kg`],
    ['ED / ES frame', `${info.ed} / ${info.es} of ${info.nbFrames}`],
  ];
  if (acdcFrame !== null) rows.push(['This frame', `${acdcFrame}${phase ? ` (${phase})` : ''}`]);
  return { patient, source: 'Info.cfg', rows };
}
