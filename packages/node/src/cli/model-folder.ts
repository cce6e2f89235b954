import { ModelFolderError } from '@myoseg/models';
import { PRETRAINED_MODEL, pretrainedModelDir, verifyPretrainedManifest } from '@myoseg/pretrained/node';
import { loadPipelineFolder, type PipelineFolder } from '../files/pipeline-folder';
import type { CliIo } from './io';
import { precisionOption, runtimeOption } from './runtime-option';

/**
 * Loads `--model DIR` for inference on `--runtime` (default `auto`: onnxruntime-node when installed and the folder
 * holds `.onnx` files, else tfjs) in `--precision` (default `float32`), and says on stderr which runtime runs it
 * and, if not onnxruntime, why. Bad `--runtime` or `--precision` values fail before any file is read. Without
 * `--model`, the model of `@myoseg/pretrained` (its manifest's digest checked, then every file against it), said so
 * on stderr. A folder whose training stopped early is refused unless `allowIncomplete`.
 *
 * @throws `ModelFolderError` for an incomplete or modified folder (and as {@link loadPipelineFolder}).
 */
export async function loadModelForInference(
  io: CliIo,
  model: string | undefined,
  inference: { runtime?: string; precision?: string },
  options: { allowIncomplete?: boolean } = {},
): Promise<PipelineFolder> {
  const runtime = runtimeOption(inference.runtime);
  const precision = precisionOption(inference.precision, runtime);
  let dir = model;
  if (dir === undefined) {
    dir = pretrainedModelDir();
    await verifyPretrainedManifest(dir);
    io.err(
      `model: @myoseg/pretrained ${PRETRAINED_MODEL.version} (no --model given; preset ${PRETRAINED_MODEL.preset}, trained on synthetic data only)`,
    );
  }
  const loaded = await loadPipelineFolder(dir, { runtime, precision });
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
