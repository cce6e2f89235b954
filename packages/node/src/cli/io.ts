/** Where the CLI writes: results to `out` (stdout), progress and errors to `err` (stderr). */
export interface CliIo {
  /** One line of results (stdout). */
  out(line: string): void;
  /** One line of progress or diagnostics (stderr). */
  err(line: string): void;
  /** Rewrites the current progress line (stderr, TTY only); a no-op elsewhere. */
  status(line: string): void;
  /** The environment (for `MYOSEG_BACKEND`). */
  env: Record<string, string | undefined>;
}

/** The process's stdout/stderr as a {@link CliIo}. */
export function processIo(): CliIo {
  const tty = Boolean(process.stderr.isTTY);
  let statusShown = false;
  const clear = () => {
    if (statusShown) process.stderr.write('\r\x1b[2K');
    statusShown = false;
  };
  return {
    out: (line) => {
      clear();
      process.stdout.write(`${line}\n`);
    },
    err: (line) => {
      clear();
      process.stderr.write(`${line}\n`);
    },
    status: (line) => {
      if (!tty) return;
      process.stderr.write(`\r\x1b[2K${line.slice(0, (process.stderr.columns ?? 100) - 1)}`);
      statusShown = true;
    },
    env: process.env,
  };
}

/** Exit codes of the `myoseg` command. */
export const EXIT = Object.freeze({
  /** Everything worked. */
  ok: 0,
  /** The command ran but some inputs failed (listed in its summary), or it failed at run time. */
  failed: 1,
  /** Bad usage or unusable input (a missing path, a non-NIfTI file, an unwritable folder): nothing was written. */
  usage: 2,
});
