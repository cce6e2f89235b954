export {
  BACKEND_ORDER,
  type BackendAttempt,
  type BackendChoice,
  type BackendReport,
  type InitBackendOptions,
  initBackend,
} from './backend';
export { BackendUnavailableError, InputError } from './errors';
export { recoverFolderAtomic, writeFolderAtomic } from './files/atomic';
export { diskReader, fileHandler } from './files/model-files';
export type { OutputKind } from './files/output-folder';
export {
  type InferenceRuntime,
  type LoadPipelineFolderOptions,
  loadPipelineFolder,
  type OnnxPipelineFolder,
  type PipelineFolder,
  savePipelineFolder,
  type TfjsPipelineFolder,
} from './files/pipeline-folder';
export * from './onnx';
export * from './parallel';
export * from './report';
