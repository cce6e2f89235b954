import { MyosegError } from '@myoseg/core';

/** A backend that was asked for (by option, `MYOSEG_BACKEND` or `--backend`) cannot be loaded. */
export class BackendUnavailableError extends MyosegError {
  /** Always `'BACKEND_UNAVAILABLE'`. */
  override readonly code: string = 'BACKEND_UNAVAILABLE';
}

/** A command-line input (path, option) is unusable; the CLI prints the message on one line and exits 2. */
export class InputError extends MyosegError {
  /** Always `'INPUT'`. */
  override readonly code: string = 'INPUT';
}

/**
 * An output path cannot take what myoseg would write: it is a file, or a folder holding anything but an earlier
 * myoseg output of the same kind, or it lies inside the input data. Raised before any work; exit code 2.
 */
export class OutputFolderError extends InputError {
  /** Always `'OUTPUT_FOLDER'`. */
  override readonly code: string = 'OUTPUT_FOLDER';
}

/**
 * A command ran, but none of its inputs gave a result (every patient of `evaluate --data` failed): a run-time
 * failure, exit code 1, never a summary of zeros that looks like a score.
 */
export class NoResultsError extends MyosegError {
  /** Always `'NO_RESULTS'`. */
  override readonly code: string = 'NO_RESULTS';
}

/**
 * Queue mode needs `bullmq` (an optional peer dependency: `npm i bullmq ioredis`), or its Redis URL is unusable.
 */
export class QueueUnavailableError extends MyosegError {
  /** Always `'QUEUE_UNAVAILABLE'`. */
  override readonly code: string = 'QUEUE_UNAVAILABLE';
}
