import { createRequire } from 'node:module';
import { registerWasmTrainingKernels } from '@myoseg/models/kernels';
import * as tf from '@tensorflow/tfjs-core';
import { BackendUnavailableError } from './errors';

/** The backends myoseg can run on under Node, fastest first. */
export type BackendChoice = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';

/** The order {@link initBackend} tries backends in. */
export const BACKEND_ORDER: readonly BackendChoice[] = Object.freeze([
  'tfjs-node-gpu',
  'tfjs-node',
  'wasm',
  'cpu',
]);

/** One backend that {@link initBackend} considered. */
export interface BackendAttempt {
  /** The backend. */
  choice: BackendChoice;
  /** Whether it loaded and became the active backend. */
  ok: boolean;
  /** Why it was skipped (not installed, failed to load, not asked for). */
  reason?: string;
}

/** What {@link initBackend} chose and why. */
export interface BackendReport {
  /** The backend in use. */
  choice: BackendChoice;
  /** tfjs' name of the active backend (`'tensorflow'`, `'wasm'`, `'cpu'`). */
  tfBackend: string;
  /** True when the choice was forced (option, `MYOSEG_BACKEND`, `--backend`). */
  forced: boolean;
  /** Every backend considered, in order, with why the better ones were skipped. */
  attempts: BackendAttempt[];
  /** wasm only: threads in use. */
  threads?: number;
  /** wasm only: whether SIMD is available. */
  simd?: boolean;
  /** Whether this backend can train (wasm needs myoseg's own gradient kernels, registered here). */
  canTrain: boolean;
}

/** Options of {@link initBackend}. */
export interface InitBackendOptions {
  /** Force one backend; default: `MYOSEG_BACKEND` if set, else the first of {@link BACKEND_ORDER} that loads. */
  prefer?: BackendChoice;
  /** Environment to read `MYOSEG_BACKEND` from (default `process.env`). */
  env?: Record<string, string | undefined>;
}

const PACKAGES: Record<'tfjs-node-gpu' | 'tfjs-node', string> = {
  'tfjs-node-gpu': '@tensorflow/tfjs-node-gpu',
  'tfjs-node': '@tensorflow/tfjs-node',
};

/** Whether an optional package can be resolved from here, without loading it. */
function isInstalled(name: string): boolean {
  try {
    createRequire(import.meta.url).resolve(name);
    return true;
  } catch {
    return false;
  }
}

/** Loads one backend and makes it active; throws with the reason when it cannot. */
async function activate(choice: BackendChoice): Promise<void> {
  if (choice === 'tfjs-node-gpu' || choice === 'tfjs-node') {
    const name = PACKAGES[choice];
    if (!isInstalled(name)) throw new Error(`${name} is not installed`);
    try {
      // a variable specifier keeps bundlers from resolving an optional peer dependency
      const specifier = name;
      await import(specifier);
    } catch (e) {
      throw new Error(`${name} failed to load: ${(e as Error).message}`);
    }
    if (!(await tf.setBackend('tensorflow')))
      throw new Error(`${name} loaded but its 'tensorflow' backend did not initialize`);
    if (choice === 'tfjs-node-gpu' && !tf.env().getBool('IS_NODE')) throw new Error('not running under Node');
    return;
  }
  if (choice === 'wasm') {
    await import('@tensorflow/tfjs-backend-wasm');
    registerWasmTrainingKernels();
  } else {
    await import('@tensorflow/tfjs-backend-cpu');
  }
  if (!(await tf.setBackend(choice))) throw new Error(`the ${choice} backend did not initialize`);
}

/**
 * Picks and activates the tfjs backend: `@tensorflow/tfjs-node-gpu` (CUDA), then `@tensorflow/tfjs-node`, then
 * `wasm` (with myoseg's training kernels registered), then `cpu`. The tfjs-node packages are optional peer
 * dependencies, loaded only when installed. `MYOSEG_BACKEND` (or `prefer`) forces one backend.
 *
 * @returns the choice and, for every better backend, why it was skipped.
 * @throws {@link BackendUnavailableError} when a forced backend cannot be loaded, naming it and the reason.
 */
export async function initBackend(options: InitBackendOptions = {}): Promise<BackendReport> {
  const env = options.env ?? process.env;
  const fromEnv = env.MYOSEG_BACKEND?.trim();
  const forced = options.prefer ?? (fromEnv ? (fromEnv as BackendChoice) : undefined);
  if (forced !== undefined && !BACKEND_ORDER.includes(forced)) {
    throw new BackendUnavailableError(
      `unknown backend '${forced}'${options.prefer ? '' : ' (from MYOSEG_BACKEND)'}; expected one of ${BACKEND_ORDER.join(', ')}`,
    );
  }
  const attempts: BackendAttempt[] = [];
  for (const choice of BACKEND_ORDER) {
    if (forced !== undefined && choice !== forced) {
      attempts.push({ choice, ok: false, reason: `not asked for (forced ${forced})` });
      continue;
    }
    try {
      await activate(choice);
      attempts.push({ choice, ok: true });
      const report: BackendReport = {
        choice,
        tfBackend: tf.getBackend(),
        forced: forced !== undefined,
        attempts,
        canTrain: true,
      };
      if (choice === 'wasm') {
        const wasm = await import('@tensorflow/tfjs-backend-wasm');
        report.threads = wasm.getThreadsCount();
        report.simd = Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'));
      }
      return report;
    } catch (e) {
      const reason = (e as Error).message;
      attempts.push({ choice, ok: false, reason });
      if (forced !== undefined)
        throw new BackendUnavailableError(`backend '${forced}' cannot be used: ${reason}`);
    }
  }
  throw new BackendUnavailableError(
    `no backend could be loaded: ${attempts.map((a) => `${a.choice}: ${a.reason}`).join('; ')}`,
  );
}
