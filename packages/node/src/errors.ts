/** A backend that was asked for (by option, `MYOSEG_BACKEND` or `--backend`) cannot be loaded. */
export class BackendUnavailableError extends Error {
  /** @param message - which backend and why. */
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** A command-line input (path, option) is unusable; the CLI prints the message on one line and exits 2. */
export class InputError extends Error {
  /** @param message - which input and what was expected. */
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}
