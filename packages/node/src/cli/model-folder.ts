import { loadSegmenterFolder, type SegmenterFolder } from '../files/segmenter-folder';
import type { CliIo } from './io';
import { runtimeOption } from './runtime-option';

/**
 * Loads `--model DIR` for inference on `--runtime` (default `auto`: onnxruntime-node when installed and the folder
 * holds `.onnx` files, else tfjs) and says on stderr which runtime runs it and, if not onnxruntime, why.
 */
export async function loadModelForInference(
  io: CliIo,
  dir: string,
  runtime: string | undefined,
): Promise<SegmenterFolder> {
  const loaded = await loadSegmenterFolder(dir, { runtime: runtimeOption(runtime) });
  io.err(
    loaded.runtime === 'tfjs'
      ? `inference: tfjs${loaded.runtimeNote ? ` (not onnxruntime-node: ${loaded.runtimeNote})` : ''}`
      : `inference: ${loaded.runtimeNote}`,
  );
  return loaded;
}
