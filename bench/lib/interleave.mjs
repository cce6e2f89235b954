// Interleaved timing: our onnxruntime-node runs and PyTorch's alternate (A B A B …), one run at a time, in two
// long-lived processes, so that a load spike on the shared machine hits both sides alike instead of one side's
// whole series.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

/**
 * A child process that answers each request line on stdin with one JSON line on stdout. Lines before the first
 * request's answer that are not replies (a report the child prints first) are passed to `onPreamble`.
 *
 * @returns `ask(request)` → the parsed reply, and `close()`.
 */
export function lineServer(command, argv, { onStderr = () => {}, preambleLines = 0 } = {}) {
  const child = spawn(command, argv, { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-16 * 1024);
    onStderr(String(chunk));
  });
  const exited = new Promise((resolve) => child.on('close', resolve));
  const next = async () => {
    const { value, done } = await lines.next();
    if (done) {
      const code = await exited;
      const last = stderr.trim().split('\n').at(-1) ?? '';
      throw new Error(`${command} ended (exit ${code}): ${last}`);
    }
    return JSON.parse(value);
  };
  const preamble = (async () => {
    const out = [];
    for (let i = 0; i < preambleLines; i++) out.push(await next());
    return out;
  })();
  return {
    preamble,
    async ask(request) {
      await preamble;
      child.stdin.write(`${JSON.stringify(request)}\n`);
      return next();
    },
    async close() {
      child.stdin.end();
      await exited;
    },
  };
}

/**
 * Times `ops` (`'infer'`, `'train'`) of each cell `[size, batch]`, `runs` rounds each, ours then theirs in every
 * round (theirs may be null: ours alone). A side whose run fails keeps its error and stops being asked.
 *
 * @returns `{ [op size x batch]: { ours: { runs, error? }, theirs: { runs, error? } | null } }`, runs in ms.
 */
export async function interleave({ ours, theirs, cells, ops, runs, say = () => {} }) {
  const out = {};
  for (const [size, batch] of cells) {
    for (const op of ops) {
      const name = `${op} ${size}x${batch}`;
      const sides = { ours: { runs: [] }, theirs: theirs ? { runs: [] } : null };
      for (let r = 0; r < runs; r++) {
        for (const [key, server] of [
          ['ours', ours],
          ['theirs', theirs],
        ]) {
          const side = sides[key];
          if (!side || side.error) continue;
          try {
            side.runs.push((await server.ask({ op, size, batch })).ms);
          } catch (e) {
            side.error = e.message;
          }
        }
        say(
          `  ${name} round ${r + 1}/${runs}: ours ${sides.ours.runs.at(-1)?.toFixed(0) ?? '—'} ms, PyTorch ${sides.theirs?.runs.at(-1)?.toFixed(0) ?? '—'} ms`,
        );
      }
      out[name] = sides;
    }
  }
  return out;
}
