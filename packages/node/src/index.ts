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
export { writeFileAtomic, writeFolderAtomic } from './files/atomic';
export { captureArtifacts, fileHandler, modelFiles, readModelArtifacts } from './files/model-files';
export {
  type LoadedSegmenter,
  loadSegmenterFolder,
  SEGMENTER_FOLDER_VERSION,
  type SegmenterManifest,
  saveSegmenterFolder,
} from './files/segmenter-folder';
export * from './report';
