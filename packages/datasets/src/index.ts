export { ACDC_LABELS, type SplitOptions, splitByPatient } from '@myoseg/core';
export { type CohortOrientation, cohortOrientation } from './acdc/cohort-orientation';
export { formatInfoCfg, parseInfoCfg } from './acdc/info-cfg';
export { relabel } from './acdc/labels';
export { memoryFolder, type OpenPatientOptions, openAcdcPatient } from './acdc/open-patient';
export {
  type CohortSlices,
  type CohortSlicesOptions,
  type ToSlicesOptions,
  toCohortSlices,
  toSlices,
} from './acdc/slices';
export {
  ACDC_GROUPS,
  type AcdcFolder,
  type AcdcFrame,
  type AcdcGroup,
  type AcdcInfo,
  type AcdcPatient,
  type CardiacPhase,
  type LabelMode,
  type SkippedItem,
  type SliceSample,
} from './acdc/types';
export { type DicomFile, type DicomStudyAttributes, isDicomFile } from './dicom/instance';
export {
  type CodedConcept,
  type DicomSegSource,
  MYOCARDIUM_SEGMENT,
  SEGMENTATION_STORAGE,
  type SegmentDescription,
  type WriteDicomSegOptions,
  writeDicomSeg,
} from './dicom/seg';
export {
  type DicomSeriesCandidate,
  type DicomVolume,
  listDicomSeries,
  type ReadDicomSeriesOptions,
  readDicomSeries,
} from './dicom/series';
export {
  AcdcFormatError,
  DicomFormatError,
  FileWriteError,
  InvalidOptionError,
  NiftiFormatError,
  NiftiWriteError,
} from './errors';
export { robustBrightness } from './filters/brightness';
export { type ExposureOptions, exposureInRange } from './filters/exposure';
export { lvCavityVisible } from './filters/lv-cavity-visible';
export { myocardiumMinSize } from './filters/myocardium-size';
export { myocardiumFullyVisible } from './filters/myocardium-visible';
export { paperFilters } from './filters/paper-filters';
export {
  type FilterReason,
  type FilterReport,
  filterSlices,
  type RejectedSlice,
  type SliceContext,
  type SliceFilter,
} from './filters/slice-filter';
export type { Affine } from './nifti/affine';
export type { NiftiData, NiftiDatatype } from './nifti/datatypes';
export { crc32 } from './nifti/gzip';
export type { NiftiHeader } from './nifti/header';
export { type NiftiImage, type NiftiReadOptions, readNifti, readNiftiHeader } from './nifti/read';
export { type NiftiWriteOptions, writeNifti } from './nifti/write';
export { createRandom, deriveSeed, type Random } from './random';
export type {
  Disc,
  Ellipse,
  TwinAnatomy,
  TwinBiasField,
  TwinBody,
  TwinLeftVentricle,
  TwinRightVentricle,
} from './twin/anatomy';
export {
  type TwinAppearance,
  type TwinContrast,
  type TwinLook,
  variedTwinParams,
} from './twin/appearance';
export { type TwinSlot, twinCohortLayout } from './twin/cohort';
export { type EncodeOptions, encodePatientFiles } from './twin/files';
export {
  defaultTwinParams,
  easyTwinParams,
  type GroupAnatomy,
  type MeanSd,
  type Range,
  resolveTwinParams,
  type TwinIntensities,
  type TwinParams,
  type TwinParamsInput,
} from './twin/params';
export {
  contractionAt,
  renderTwinFrame,
  type SyntheticPatient,
  synthesizePatient,
  type TwinFrame,
  type TwinOptions,
} from './twin/patient';
