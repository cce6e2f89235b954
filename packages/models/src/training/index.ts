export { AdamW, type AdamWMoments, type AdamWOptions, type AdamWState, type ParameterUpdate } from './adamw';
export {
  type AugmentOptions,
  AugmentOptionsSchema,
  ElasticAugmentSchema,
  type NnunetAugmentOptions,
  NnunetAugmentSchema,
} from './augment/augment-schema';
export {
  DOMAIN_RANDOMIZATION,
  type DomainRandomizationOptions,
  type GenerationClasses,
  generationClasses,
  randomizeAppearance,
} from './augment/domain-randomization';
export type { RandomSource } from './augment/draws';
export { ELASTIC, type ElasticOptions, randomElastic, warpSample } from './augment/elastic';
export { nnunetIntensity } from './augment/intensity';
export {
  addRicianNoise,
  RICIAN_NOISE,
  type RicianNoiseOptions,
  randomRicianNoise,
} from './augment/rician-noise';
export {
  NNUNET_SPATIAL,
  type NnunetSpatialOptions,
  randomScaleRotate,
  type ScaleRotation,
  scaleRotate,
} from './augment/spatial';
export {
  type BatchEndLogs,
  checkpoint,
  type EpochEndLogs,
  earlyStopping,
  type Monitor,
  type TrainingCallback,
  type TrainingContext,
} from './callbacks';
export {
  type BatchOptions,
  type ChannelStats,
  IMAGENET_STATS,
  imagenetStats,
  makeBatches,
  type SegmentationBatch,
  type SegmentationData,
  type SegmentationSample,
  segmentationData,
} from './data';
export { InvalidSampleError, ModelCardError, TrainingOptionsError } from './errors';
export { type Evaluation, evaluateModel } from './evaluate';
export { type FineTuneOptions, type FineTunePhase, type FineTuneResult, fineTune } from './fine-tune';
export {
  assignWeights,
  captureFineTune,
  disposeFineTuneCheckpoint,
  type FineTuneCheckpoint,
  type IndexedMoments,
  restoreFineTune,
} from './fine-tune-checkpoint';
export { type FitOneCycleOptions, type FitResult, fitOneCycle } from './fit-one-cycle';
export {
  freeze,
  freezeTo,
  type LayerGroups,
  stableWeightOrder,
  type TrainableParameter,
  trainableParameters,
  unfreeze,
} from './layer-groups';
export {
  type CrossEntropyOptions,
  type DiceCrossEntropyOptions,
  diceCrossEntropyLoss,
  oneHotMasks,
  type SegmentationLoss,
  type SoftDiceOptions,
  softDiceLoss,
  softmaxCrossEntropy,
} from './losses';
export { type LrFindOptions, type LrFindResult, type LrSuggestion, lrFind, valley } from './lr-find';
export { diceMetric, type SegmentationMetric } from './metrics';
export {
  type LoadedModel,
  loadModel,
  MODEL_CARD_VERSION,
  type ModelCard,
  ModelCardSchema,
  parseModelCard,
  saveModel,
} from './model-io';
export { type Normalization, NormalizationSchema } from './normalization-schema';
export { groupLearningRates, type OneCycleOptions, oneCycleSchedule, type ScheduleValue } from './schedule';
export {
  applyGradients,
  type BatchGradients,
  computeGradients,
  type GroupHyper,
  type Predictor,
  type PredictorFactory,
  type StageTrainer,
  type StageTrainerFactory,
  type TrainBatch,
  trainBatch,
} from './train-step';
