export {
  CHECKPOINT_MANIFEST,
  CHECKPOINT_VERSION,
  checkpointFiles,
  readCheckpointFiles,
} from './checkpoint-files';
export { ModelFolderError } from './errors';
export { sha256Hex } from './integrity';
export { captureArtifacts, modelFiles, readModelArtifacts } from './model-artifacts';
export { type ReadFolderFile, readFolderFile } from './read-file';
export {
  type FixedSigmaRule,
  type LoadedSegmenter,
  loadSegmenterFiles,
  manifestReader,
  type NetworkShape,
  type RegressedSigma,
  readSegmenterManifest,
  SEGMENTER_FOLDER_VERSION,
  SEGMENTER_MANIFEST,
  type SegmenterFolderOptions,
  type SegmenterManifest,
  type SigmaRule,
  segmenterFolderFiles,
  segmenterFromManifest,
} from './segmenter-folder';
