export {
  BACKEND_ORDER,
  type BackendAttempt,
  type BackendChoice,
  type BackendReport,
  type InitBackendOptions,
  initBackend,
} from './backend';
export { type CliIo, EXIT } from './cli/io';
export { main } from './cli/program';
export { BackendUnavailableError, InputError, ModelFolderError } from './errors';
export { writeFolderAtomic } from './files/atomic';
export { captureArtifacts, fileHandler, modelFiles, readModelArtifacts } from './files/model-files';
export {
  type FixedSigmaRule,
  type LoadedSegmenter,
  loadSegmenterFolder,
  type RegressedSigma,
  SEGMENTER_FOLDER_VERSION,
  type SegmenterManifest,
  type SigmaRule,
  saveSegmenterFolder,
} from './files/segmenter-folder';
export * from './report';
