export { cropAroundRegion, regionFromProbabilities, thresholdMap } from './crop-region';
export {
  type Approach,
  type ApproachesResult,
  type ApproachRow,
  type EvaluateApproachesOptions,
  evaluateApproaches,
  type SliceScore,
  TABLE1,
} from './evaluate-approaches';
export { ACDC_LABELS, type LabeledSlice, LOCALIZATION_LABELS, MYOCARDIUM_LABELS } from './labeled-slice';
export { prepareInput } from './preprocess';
export { PAPER_PRESET, type PipelinePreset, PRESETS, QUICK_PRESET, resolvePreset } from './presets';
export {
  MyocardiumSegmenter,
  type SegmenterOptions,
  type SegmentResult,
  type SegmentTimings,
  type VolumeResult,
} from './segmenter';
export { type SegmentationStage, type TfStageOptions, tfStage } from './stage';
export {
  fitSigmaSamples,
  type PipelineProgress,
  segmenterSamples,
  type TrainedPipeline,
  type TrainSegmenterOptions,
  trainSegmenter,
  trainStage,
} from './train-segmenter';
