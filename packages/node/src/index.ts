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
export { BackendUnavailableError, InputError } from './errors';
export { recoverFolderAtomic, writeFolderAtomic } from './files/atomic';
export { type OutputKind } from './files/output-folder';
export { diskReader, fileHandler } from './files/model-files';
export {
  type InferenceRuntime,
  type LoadSegmenterFolderOptions,
  loadSegmenterFolder,
  type OnnxSegmenterFolder,
  type SegmenterFolder,
  saveSegmenterFolder,
  type TfjsSegmenterFolder,
} from './files/segmenter-folder';
export * from './onnx';
export * from './parallel';
export * from './report';
