import * as tf from '@tensorflow/tfjs-core';
import type { PipelineCheckpoint } from '../pipeline/pipeline-checkpoint';
import { type CheckpointJson, CheckpointJsonSchema } from './checkpoint-schema';
import { ModelFolderError } from './errors';
import { joinPath, parseFolderJson, type ReadFolderFile, readFolderFile } from './read-file';

/** The checkpoint format this version writes and reads. */
export const CHECKPOINT_VERSION = 1;

/** The JSON file of a checkpoint folder. */
export const CHECKPOINT_MANIFEST = 'checkpoint.json';

const named = (prefix: string, tensors: readonly tf.Tensor[]) =>
  tensors.map((tensor, i) => ({ name: `${prefix}${i}`, tensor }));

/**
 * The files of a training checkpoint: `checkpoint.json` (run, stage, phase, epoch, logs) plus `current.bin`
 * (the current network's weights and optimizer moments) and, once the segmenter trains, `localizer.bin`.
 * `@myoseg/node` writes them atomically after every epoch; {@link readCheckpointFiles} reads them back.
 */
export async function checkpointFiles(
  checkpoint: PipelineCheckpoint,
): Promise<Record<string, Uint8Array | string>> {
  const { weights, moments, ...progress } = checkpoint.current;
  const current = await tf.io.encodeWeights([
    ...named('w', weights),
    ...named(
      'm',
      moments.map((m) => m.gradAvg),
    ),
    ...named(
      'v',
      moments.map((m) => m.sqrAvg),
    ),
  ]);
  const files: Record<string, Uint8Array | string> = {
    'current.bin': new Uint8Array(current.data as ArrayBuffer),
  };
  let localizer: CheckpointJson['localizer'];
  if (checkpoint.localizer) {
    const loc = await tf.io.encodeWeights(named('w', checkpoint.localizer.weights));
    files['localizer.bin'] = new Uint8Array(loc.data as ArrayBuffer);
    localizer = { history: checkpoint.localizer.history, specs: loc.specs };
  }
  const json: CheckpointJson = {
    format: 'myoseg-checkpoint',
    version: CHECKPOINT_VERSION,
    savedAt: new Date().toISOString(),
    seed: checkpoint.seed,
    preset: checkpoint.preset,
    split: checkpoint.split,
    stage: checkpoint.stage,
    localizer,
    current: {
      ...progress,
      steps: moments.map((m) => ({ index: m.index, step: m.step })),
      specs: current.specs,
    },
  };
  files[CHECKPOINT_MANIFEST] = `${JSON.stringify(json)}\n`;
  return files;
}

/** Decodes `count` tensors named `${prefix}0…` from a `.bin` file, naming the file when it is short. */
function decode(
  bytes: Uint8Array,
  specs: CheckpointJson['current']['specs'],
  file: string,
): tf.NamedTensorMap {
  const need = specs.reduce((n, s) => n + 4 * s.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes.byteLength !== need || specs.some((s) => s.dtype !== 'float32'))
    throw new ModelFolderError(
      `${file}: holds ${bytes.byteLength} bytes, checkpoint.json needs ${need} (float32)`,
    );
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return tf.io.decodeWeights(buffer, specs);
}

const list = (map: tf.NamedTensorMap, prefix: string, count: number, file: string) =>
  Array.from({ length: count }, (_, i) => {
    const t = map[`${prefix}${i}`];
    if (t === undefined) throw new ModelFolderError(`${file}: tensor ${prefix}${i} is missing`);
    return t;
  });

/**
 * Reads a checkpoint written from {@link checkpointFiles} through `read` (see `loadPipelineFiles`).
 *
 * @param where - the folder's name, for messages.
 * @throws `ModelFolderError` naming the file that is missing, short or of another version, or the field of
 *   `checkpoint.json` that is bad (see {@link CheckpointJsonSchema}).
 */
export async function readCheckpointFiles(read: ReadFolderFile, where: string): Promise<PipelineCheckpoint> {
  const json = parseFolderJson(
    await readFolderFile(read, where, CHECKPOINT_MANIFEST),
    where,
    CHECKPOINT_MANIFEST,
    { format: 'myoseg-checkpoint', version: CHECKPOINT_VERSION },
    CheckpointJsonSchema,
  );
  const { steps, specs, ...progress } = json.current;
  const currentFile = joinPath(where, 'current.bin');
  const tensors = decode(await readFolderFile(read, where, 'current.bin'), specs, currentFile);
  const weightCount = specs.filter((s) => s.name.startsWith('w')).length;
  const decoded: tf.Tensor[] = Object.values(tensors);
  try {
    const gradAvg = list(tensors, 'm', steps.length, currentFile);
    const sqrAvg = list(tensors, 'v', steps.length, currentFile);
    const checkpoint: PipelineCheckpoint = {
      seed: json.seed,
      preset: json.preset,
      split: json.split,
      stage: json.stage,
      current: {
        ...progress,
        weights: list(tensors, 'w', weightCount, currentFile),
        moments: steps.map((s, i) => ({ ...s, gradAvg: gradAvg[i], sqrAvg: sqrAvg[i] })),
      },
    };
    if (json.localizer) {
      const file = joinPath(where, 'localizer.bin');
      const loc = decode(await readFolderFile(read, where, 'localizer.bin'), json.localizer.specs, file);
      decoded.push(...Object.values(loc));
      checkpoint.localizer = {
        history: json.localizer.history,
        weights: list(loc, 'w', json.localizer.specs.length, file),
      };
    }
    return checkpoint;
  } catch (e) {
    tf.dispose(decoded);
    throw e;
  }
}
