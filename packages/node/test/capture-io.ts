import type { CliIo } from '../src/cli/io';

/** A {@link CliIo} that keeps what the CLI prints: `out` (stdout) and `err` (stderr), one entry per line. */
export function captureIo(env: Record<string, string | undefined> = {}): {
  io: CliIo;
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), status: () => {}, env };
  return { io, out, err };
}
