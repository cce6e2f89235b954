import { MyosegError } from '@myoseg/core';

/**
 * A NIfTI input cannot be read: not a NIfTI file, truncated data, corrupt gzip, an unsupported datatype, or a
 * header that disagrees with the data that follows it.
 */
export class NiftiFormatError extends MyosegError {
  /** Always `'NIFTI_FORMAT'`. */
  override readonly code: string = 'NIFTI_FORMAT';
  /** The file (or other source) the bytes came from, as given to the reader. */
  readonly source: string;
  /** The header field or part of the file at fault (e.g. `dim[1]`, `gzip`), when one is. */
  readonly field: string | undefined;

  /**
   * @param source - the file name or other label of the input.
   * @param problem - what is wrong and what was expected.
   * @param field - the header field or part at fault.
   */
  constructor(source: string, problem: string, field?: string) {
    super(`${source}: ${field ? `${field}: ` : ''}${problem}`);
    this.source = source;
    this.field = field;
  }
}

/** A volume cannot be written as NIfTI as asked (a value that the datatype cannot hold exactly, a bad shape). */
export class NiftiWriteError extends MyosegError {
  /** Always `'NIFTI_WRITE'`. */
  override readonly code: string = 'NIFTI_WRITE';
}

/** An ACDC folder, patient or `Info.cfg` does not have the expected layout or content. */
export class AcdcFormatError extends MyosegError {
  /** Always `'ACDC_FORMAT'`. */
  override readonly code: string = 'ACDC_FORMAT';
  /** The file or folder at fault. */
  readonly file: string;

  /**
   * @param file - the file or folder at fault.
   * @param problem - what is wrong and what was expected.
   */
  constructor(file: string, problem: string) {
    super(`${file}: ${problem}`);
    this.file = file;
  }
}

/** An option or argument of a datasets function is out of its allowed range. */
export class InvalidOptionError extends MyosegError {
  /** Always `'INVALID_OPTION'`. */
  override readonly code: string = 'INVALID_OPTION';
}

/** What a few system error codes mean, for messages that a user can act on. */
const WRITE_FAILURES: Readonly<Record<string, string>> = {
  EISDIR: 'a folder is in the way',
  ENOTDIR: 'a file is in the way of its folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'read-only file system',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/**
 * An output file could not be written (a folder in the way, no permission, a full disk). The message names the
 * output file, never the temporary file it was being written through.
 */
export class FileWriteError extends MyosegError {
  /** Always `'FILE_WRITE'`. */
  override readonly code: string = 'FILE_WRITE';
  /** The output file. */
  readonly path: string;

  /**
   * @param path - the output file.
   * @param cause - the system error (its `code`, e.g. `EISDIR`, is named in the message).
   */
  constructor(path: string, cause: unknown) {
    const code = (cause as { code?: unknown } | null)?.code;
    const why = typeof code === 'string' ? `${WRITE_FAILURES[code] ?? 'failed'}, ${code}` : String(cause);
    super(`${path}: cannot write (${why})`, { cause });
    this.path = path;
  }
}

/**
 * A DICOM input cannot be used: not DICOM, no pixel data, a compressed transfer syntax, or a series whose geometry
 * does not make one volume (mixed orientations, missing or duplicate slice positions, inconsistent spacing).
 */
export class DicomFormatError extends MyosegError {
  /** Always `'DICOM_FORMAT'`. */
  override readonly code: string = 'DICOM_FORMAT';
  /** The file (or series) at fault, as given to the reader. */
  readonly source: string;

  /**
   * @param source - the file name, or `series <UID>`.
   * @param problem - what is wrong and what was expected.
   */
  constructor(source: string, problem: string) {
    super(`${source}: ${problem}`);
    this.source = source;
  }
}
