/** A file the user gave cannot be used as asked (wrong dimensions, shapes that disagree); the message names it. */
export class InputFileError extends Error {
  /** Always `'InputFileError'`. */
  override name = 'InputFileError';
  /** The file at fault. */
  readonly file: string;

  /**
   * @param file - the file's name.
   * @param problem - what is wrong and what was expected.
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}
