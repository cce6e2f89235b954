import { InputError } from '../errors';
import { type InferenceRuntime, loadSegmenterFolder, type SegmenterFolder } from '../files/segmenter-folder';
import type { CliIo } from './io';

const RUNTIMES: readonly InferenceRuntime[] = ['auto', 'onnxruntime', 'tfjs'];

/**
 * Loads `--model DIR` for inference on `--runtime` (default `auto`: onnxruntime-node when installed and the folder
 * holds `.onnx` files, else tfjs) and says on stderr which runtime runs it and, if not onnxruntime, why.
 */
export async function loadModelForInference(
  io: CliIo,
  dir: string,
  runtime: string | undefined = 'auto',
): Promise<SegmenterFolder> {
  if (!RUNTIMES.includes(runtime as InferenceRuntime))
    throw new InputError(`--runtime must be ${RUNTIMES.join(', ')}; got ${runtime}`);
  const loaded = await loadSegmenterFolder(dir, { runtime: runtime as InferenceRuntime });
  io.err(
    loaded.runtime === 'tfjs'
      ? `inference: tfjs${loaded.runtimeNote ? ` (not onnxruntime-node: ${loaded.runtimeNote})` : ''}`
      : `inference: ${loaded.runtimeNote}`,
  );
  return loaded;
}
