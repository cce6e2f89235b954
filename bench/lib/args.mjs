// Command-line options of bench/run.mjs.
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';

/** The cells of the full run: [size, batch] (the four: 64²×16 and 256²×4, inference and a train step). */
export const FULL_CELLS = [
  [64, 16],
  [256, 4],
];
/** The cells of `--quick`: the same network, small inputs, one run each. */
export const QUICK_CELLS = [
  [32, 4],
  [64, 2],
];

/**
 * Parses the bench's arguments (`process.argv.slice(2)`): `--json`, `--quick`, `--memory`, `--profile`, `--no-pytorch`,
 * `--cohort`, `--browser`,
 * `--runs N`, `--warmup N` (default 2: onnxruntime's first timed run after one warm-up was still 1.2–1.8× slower), `--replicas N`, `--threads N`, `--memory-steps N`. Throws on unknown options and on
 * counts that are not positive integers (zero allowed for `--warmup`).
 */
export function parseBenchArgs(argv) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      memory: { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'no-pytorch': { type: 'boolean', default: false },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      replicas: { type: 'string' },
      threads: { type: 'string' },
      'memory-steps': { type: 'string' },
      cohort: { type: 'boolean', default: false },
      browser: { type: 'boolean', default: false },
    },
  });
  const count = (name, fallback, min = 1) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new RangeError(`--${name} must be an integer ≥ ${min}, got ${raw}`);
    return n;
  };
  const quick = values.quick;
  return {
    json: values.json,
    quick,
    memory: values.memory,
    cohort: values.cohort,
    browser: values.browser,
    profile: values.profile,
    pytorch: !values['no-pytorch'],
    runs: count('runs', quick ? 1 : 3),
    warmup: count('warmup', quick ? 0 : 2, 0),
    threads: count('threads', availableParallelism()),
    replicas: count('replicas', availableParallelism()),
    memorySteps: count('memory-steps', quick ? 3 : 100),
    cells: quick ? QUICK_CELLS : FULL_CELLS,
    memoryCell: quick ? [64, 2] : [256, 4],
    pipelineSlices: quick ? 2 : 10,
  };
}
