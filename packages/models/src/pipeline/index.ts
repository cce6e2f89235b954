export { cropAroundRegion, type RegionCrop, thresholdMap } from './crop-region';
export {
  type Approach,
  type ApproachesResult,
  type ApproachRow,
  type DiceSummary,
  type EvaluateApproachesOptions,
  evaluateApproaches,
  type GroupDice,
  type Hd95Summary,
  type SliceScore,
  TABLE1,
  type Table1Entry,
  type WholeVolumeView,
} from './evaluate-approaches';
export type { LabeledSlice } from './labeled-slice';
export {
  type RegionTrack,
  type RegionTrackOptions,
  regionFromProbabilities,
  regionTrack,
  type SliceLocalization,
} from './localize';
export {
  checkResumable,
  disposePipelineCheckpoint,
  type PipelineCheckpoint,
} from './pipeline-checkpoint';
export { prepareInput } from './preprocess';
export { checkPresetOverride, PresetError } from './preset-check';
export {
  PAPER_PRESET,
  type PipelinePreset,
  PRESETS,
  type PresetName,
  type PresetOverride,
  QUICK_PRESET,
  resolvePreset,
  STANDARD_PRESET,
  type StageSettings,
  segmenterPreset,
} from './presets';
export {
  MyocardiumSegmenter,
  type SegmenterOptions,
  type SegmentResult,
  type SegmentTimings,
  type VolumeResult,
  type VolumeSegmentOptions,
} from './segmenter';
export { type SegmentationStage, type TfStageOptions, tfStage } from './stage';
export {
  balancedClassWeights,
  fitSigmaSamples,
  localizerSamples,
  type PatientSplitIds,
  type PipelineHistory,
  type PipelineProgress,
  segmenterSamples,
  type TrainedPipeline,
  type TrainedStage,
  type TrainSegmenterOptions,
  type TrainStageOptions,
  trainSegmenter,
  trainStage,
} from './train-segmenter';
export {
  type FrameScore,
  type LabeledVolume,
  MYOCARDIUM_DENSITY_G_PER_ML,
  scoreVolume,
  summarizeFrames,
  type VolumeScore,
  type VolumeSummary,
  type VolumeTable,
} from './volume-scores';
