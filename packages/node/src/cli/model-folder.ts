import { ModelFolderError } from '@myoseg/models';
import { loadSegmenterFolder, type SegmenterFolder } from '../files/segmenter-folder';
import type { CliIo } from './io';
import { runtimeOption } from './runtime-option';

/**
 * Loads `--model DIR` for inference on `--runtime` (default `auto`: onnxruntime-node when installed and the folder
 * holds `.onnx` files, else tfjs) and says on stderr which runtime runs it and, if not onnxruntime, why. A folder
 * whose training stopped early is refused unless `allowIncomplete`.
 *
 * @throws `ModelFolderError` for an incomplete folder (and as {@link loadSegmenterFolder}).
 */
export async function loadModelForInference(
  io: CliIo,
  dir: string,
  runtime: string | undefined,
  options: { allowIncomplete?: boolean } = {},
): Promise<SegmenterFolder> {
  const loaded = await loadSegmenterFolder(dir, { runtime: runtimeOption(runtime) });
  if (loaded.manifest.complete === false) {
    if (!options.allowIncomplete) {
      loaded.dispose();
      throw new ModelFolderError(
        `${dir}/myoseg.json: "complete": false, its training stopped early; go on with \`myoseg train --resume\`, or pass --allow-incomplete to use it as it is`,
      );
    }
    io.err(`warning: ${dir} holds networks whose training stopped early (--allow-incomplete)`);
  }
  io.err(
    loaded.runtime === 'tfjs'
      ? `inference: tfjs${loaded.runtimeNote ? ` (not onnxruntime-node: ${loaded.runtimeNote})` : ''}`
      : `inference: ${loaded.runtimeNote}`,
  );
  return loaded;
}
