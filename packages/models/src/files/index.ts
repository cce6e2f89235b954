export { ModelFolderError } from './errors';
export { sha256Hex } from './integrity';
export { captureArtifacts, modelFiles, readModelArtifacts } from './model-artifacts';
export {
  type FixedSigmaRule,
  type LoadedPipeline,
  loadPipelineFiles,
  manifestReader,
  type NetworkShape,
  PIPELINE_FOLDER_VERSION,
  PIPELINE_MANIFEST,
  type PipelineFolderOptions,
  type PipelineManifest,
  pipelineFolderFiles,
  pipelineFromManifest,
  type RegressedSigma,
  readPipelineManifest,
  type SigmaRule,
} from './pipeline-folder';
export { type ReadFolderFile, readFolderFile } from './read-file';
