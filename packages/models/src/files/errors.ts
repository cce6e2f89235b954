/** A model folder (or one of its files) is missing, incomplete, malformed or from an unknown version. */
export class ModelFolderError extends Error {
  /** The class name, for messages and `instanceof`-free checks. */
  override name = 'ModelFolderError';
}
