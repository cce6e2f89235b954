// `@myoseg/models/training`: fastai-style training of the U-Nets and of the whole pipeline, losses, presets,
// augmentation, checkpoints, and Table 1's approaches.
export { isBatchNormLayer, unetLayerGroups } from './architecture/layer-groups';
export {
  CHECKPOINT_MANIFEST,
  CHECKPOINT_VERSION,
  checkpointFiles,
  readCheckpointFiles,
} from './files/checkpoint-files';
export { type CheckpointJson, CheckpointJsonSchema } from './files/checkpoint-schema';
export { PatientSplitIdsSchema } from './files/pipeline-folder-schema';
export { balancedClassWeights, localizerSamples, segmenterSamples } from './pipeline/build-samples';
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
} from './pipeline/evaluate-approaches';
export {
  checkResumable,
  disposePipelineCheckpoint,
  type PipelineCheckpoint,
} from './pipeline/pipeline-checkpoint';
export { checkPresetOverride, PresetError } from './pipeline/preset-check';
export {
  PipelinePresetSchema,
  PresetNameSchema,
  PresetOverrideSchema,
  StageSettingsSchema,
} from './pipeline/preset-schema';
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
} from './pipeline/presets';
export {
  fitSigmaSamples,
  type PatientSplitIds,
  type PipelineHistory,
  type TrainedPipeline,
  type TrainPipelineOptions,
  trainPipeline,
} from './pipeline/train-pipeline';
export {
  type PipelineProgress,
  type TrainedStage,
  type TrainStageOptions,
  trainStage,
} from './pipeline/train-stage';
export * from './training/index';
