// The root entry: building the networks, running the pipeline, model folders and scoring (inference).
// Training lives in `@myoseg/models/training`, ONNX export in `/onnx`, WebAssembly kernels in `/kernels`.
export * from './architecture';
export * from './files';
export { cropAroundRegion, type RegionCrop, thresholdMap } from './pipeline/crop-region';
export type { LabeledSlice } from './pipeline/labeled-slice';
export {
  type RegionTrack,
  type RegionTrackOptions,
  regionFromProbabilities,
  regionTrack,
  type SliceLocalization,
} from './pipeline/localize';
export {
  MyocardiumPipeline,
  type PipelineOptions,
  type SegmentResult,
  type SegmentTimings,
  type VolumeResult,
  type VolumeSegmentOptions,
} from './pipeline/pipeline';
export { prepareInput } from './pipeline/preprocess';
export { PipelinePresetSchema, PresetNameSchema, StageSettingsSchema } from './pipeline/preset-schema';
export type { PipelinePreset, PresetName, StageSettings } from './pipeline/presets';
export { type SegmentationStage, type TfStageOptions, tfStage } from './pipeline/stage';
export type { PatientSplitIds, PipelineHistory, TrainedPipeline } from './pipeline/train-pipeline';
export type { TrainedStage } from './pipeline/train-stage';
export {
  type FrameScore,
  type LabeledVolume,
  MYOCARDIUM_DENSITY_G_PER_ML,
  scoreVolume,
  summarizeFrames,
  type VolumeScore,
  type VolumeSummary,
  type VolumeTable,
} from './pipeline/volume-scores';
export { plainObject } from './schema/fields';
export { describeValue, type FieldProblem, parseFields, problemMessage } from './schema/parse-fields';
export { type AugmentOptions, AugmentOptionsSchema } from './training/augment/augment-schema';
export { ModelCardError } from './training/errors';
export type { FineTuneResult } from './training/fine-tune';
export {
  type LoadedModel,
  loadModel,
  MODEL_CARD_VERSION,
  type ModelCard,
  ModelCardSchema,
  parseModelCard,
  saveModel,
} from './training/model-io';
export { type Normalization, NormalizationSchema } from './training/normalization-schema';
export * from './weights';
