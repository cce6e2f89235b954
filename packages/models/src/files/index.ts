export { ModelFolderError } from './errors';
export { sha256Hex } from './integrity';
export { captureArtifacts, modelFiles, readModelArtifacts } from './model-artifacts';
export {
  type LoadedPipeline,
  loadPipelineFiles,
  manifestReader,
  PIPELINE_FOLDER_VERSION,
  PIPELINE_MANIFEST,
  type PipelineFolderOptions,
  pipelineFolderFiles,
  pipelineFromManifest,
  readPipelineManifest,
} from './pipeline-folder';
export {
  type FixedSigmaRule,
  FixedSigmaRuleSchema,
  type NetworkShape,
  NetworkShapeSchema,
  PatientSplitIdsSchema,
  type PipelineManifest,
  PipelineManifestSchema,
  type RegressedSigma,
  RegressedSigmaSchema,
  SigmaRegressionJsonSchema,
  type SigmaRule,
  SigmaRuleSchema,
  SigmaSampleSchema,
} from './pipeline-folder-schema';
export { type ReadFolderFile, readFolderFile } from './read-file';
export { withTfjsWeightsFromOnnx } from './shared-weights';
